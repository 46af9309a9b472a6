"""The notifier's Celery worker: ``celery -A services.notifier.worker worker -Q notifier``."""

from typing import Any

from celery import signals

from services.notifier import tasks  # noqa: F401 - registers the notification task on the app
from services.notifier.database import get_db
from services.notifier.metrics import serve
from shared.celery_app import get_celery
from shared.settings import get_settings
from shared.worker_setup import wire_worker

app = get_celery()
wire_worker(get_db, "notifier")


def serve_metrics(**_: Any) -> None:
    port = get_settings().notifier_metrics_port
    if port is not None:
        serve(port, get_db)


signals.worker_ready.connect(serve_metrics, weak=False)
