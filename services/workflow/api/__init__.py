"""The staff API: the app and one router module per resource (``auth``, ``worklist``, ``cases``,
``steps``, ``paths``, ``deliveries``, ``reports``), each a thin layer over the domain's functions.

Imports ``cases``, ``sla``, ``staff``, the workflow's request dependencies, the console (which
the app mounts) and ``shared``; nothing in the domain or the console imports it.
"""
