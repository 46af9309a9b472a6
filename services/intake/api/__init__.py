"""The citizens' API: the app, one router module per resource, its request dependencies and
the limits on bodies and clients.

Imports the intake's domain, its ``portal`` (which it mounts) and ``shared``; imported by the
portal (for the dependencies and limits they share).
"""
