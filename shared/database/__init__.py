"""The services' databases: engines and sessions with one place a transaction commits, the
tables every service carries (outbox, inbox, failed messages), and each service's Alembic runs.

Imports ``shared.runtime`` and ``shared.sop``, never messaging; imported by ``shared.messaging``,
``shared.web``, ``shared.process``, every service and the tools.
"""
