"""Code the services share, in layers that import downwards only: ``sop``, ``wording``,
``runtime``, ``database``, then ``messaging`` and ``web`` side by side, then ``process``.

Imports no service (a service hands shared what it needs); imported by the services and tools.
"""
