"""The notifier's Celery worker: ``celery -A services.notifier.worker worker -Q notifier``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.notifier import tasks  # noqa: F401 - registers the notification task on the app
from services.notifier.database import get_db
from shared.messaging.celery_app import get_celery
from shared.process.worker_setup import wire_worker
from shared.runtime.metrics_server import serve_when_worker_ready

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry


def metrics_registry() -> CollectorRegistry:
    # Only once a metrics port is set: prometheus_client stays out of a worker without one.
    from services.notifier.metrics import registry_for  # noqa: PLC0415

    return registry_for(get_db)


app = get_celery()
wire_worker(get_db, "notifier")
serve_when_worker_ready("notifier", metrics_registry)
