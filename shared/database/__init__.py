"""The services' databases: engines and sessions with one place a transaction commits, and each
service's Alembic history.

Imports ``shared.runtime``; imported by ``shared.messaging``, ``shared.web`` and every service.
"""
