"""The staff API: the app and one router module per resource, over the domain's functions.

Imports ``cases``, ``sla``, ``staff`` and the console (which it mounts); nothing in the domain
imports it.
"""
