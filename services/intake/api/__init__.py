"""The citizens' API: the app, the complaint routes (``complaints``), their request dependencies
and the limits on bodies and clients.

Imports ``filing``, ``tracking``, ``app_channel`` and ``portal``; nothing else in the intake
imports its app or its routes.
"""
