"""The staff console under ``/console``: one module per screen, its templates beside it, asking
the same domain functions the API asks.

Imports ``cases``, ``sla``, ``staff``, the API's dependencies and ``shared``; imported by the
API's app only.
"""
