"""The intake service's database handle, one per process."""

from __future__ import annotations

from functools import lru_cache

from shared.celery_app import get_celery
from shared.db import ServiceDatabase
from shared.outbox import OutboxRelay
from shared.settings import get_settings


@lru_cache
def get_db() -> ServiceDatabase:
    settings = get_settings()
    db = ServiceDatabase("intake", settings.database_url("intake"))
    db.relay = OutboxRelay(
        db.sessions,
        get_celery(),
        poll_seconds=settings.outbox_poll_seconds,
        claim_seconds=settings.outbox_claim_seconds,
    )
    return db
