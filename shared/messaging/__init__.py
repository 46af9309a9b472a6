"""What crosses between services: the one Celery app and its routes, the Redis transport, the
transactional outbox, its relay and the inbox, the consumer base, the versioned contracts, dead
letters, sealing and queue depths.

Imports ``shared.database``, ``shared.runtime`` and ``shared.sop``; imported by
``shared.process``, every service and the tools.
"""
