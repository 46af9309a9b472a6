"""The three services, each with its own database: ``intake``, ``workflow``, ``notifier``.

Each imports ``shared`` and never another service (they talk by messages); only ``tools`` and
``tests`` import more than one.
"""
