"""The citizens' API: the app, its request dependencies and the limits on bodies and clients.

Imports ``filing``, ``tracking``, ``app_channel`` and ``portal``; nothing else in the intake
imports it.
"""
