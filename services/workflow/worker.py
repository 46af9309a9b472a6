"""The workflow's Celery worker: ``celery -A services.workflow.worker worker -Q admin,kasi,...``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.workflow import tasks  # noqa: F401 - registers the step tasks on the app
from services.workflow.database import get_db
from services.workflow.staff.accounts import demo_user_check
from shared.messaging.celery_app import get_celery
from shared.process.worker_setup import wire_worker
from shared.runtime.metrics_server import serve_when_worker_ready

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry


def metrics_registry() -> CollectorRegistry:
    # Only once a metrics port is set: prometheus_client stays out of a worker without one.
    from services.workflow.metrics import registry_for  # noqa: PLC0415

    return registry_for(get_db)


app = get_celery()
wire_worker(get_db, "workflow", [demo_user_check(get_db)])
serve_when_worker_ready("workflow", metrics_registry)
