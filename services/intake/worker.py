"""The intake's Celery worker: ``celery -A services.intake.worker worker -Q intake``."""

from services.intake import tasks  # noqa: F401 - registers the consumers on the app
from services.intake.database import get_db
from services.intake.metrics import registry_for
from shared.messaging.celery_app import get_celery
from shared.process.worker_setup import wire_worker
from shared.runtime.metrics_server import serve_when_worker_ready

app = get_celery()
wire_worker(get_db, "intake")
serve_when_worker_ready("intake", lambda: registry_for(get_db))
