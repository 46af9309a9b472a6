"""The staff console under ``/console``: one module per screen, its templates beside it, asking
the same domain functions the API asks.

Imports ``cases``, ``sla``, ``staff``, the workflow's request dependencies and ``shared.web``;
imported by the API's app only.
"""
