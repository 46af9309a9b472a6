"""The staff API: the app and one router module per resource, over the domain's functions.

Imports ``cases``, ``sla``, ``staff``, the console (which it mounts) and ``shared``; imported by
the console (for the request dependencies they share), never by the domain.
"""
