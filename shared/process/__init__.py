"""How a service's process is put together: its database wired to the outbox relay, the API's
request session and relay thread, and Celery's worker, beat and Flower apps.

The top layer of ``shared``, since each of these joins messaging to the database: imports every
layer below it; imported by the services' ``database``, APIs and workers, and by compose's
``celery -A shared.process.beat_app`` / ``flower_app``.
"""
