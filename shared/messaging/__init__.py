"""What crosses between services: the one Celery app and its routes, the Redis transport, the
transactional outbox and inbox, the consumer base, the versioned contracts, dead letters and
sealing.

Imports ``shared.runtime``, ``shared.database`` and ``shared.sop``; imported by every service.
"""
