"""The notifier's Celery worker: ``celery -A services.notifier.worker worker -Q notifier``."""

from services.notifier import tasks  # noqa: F401 - registers the notification task on the app
from services.notifier.database import get_db
from services.notifier.metrics import registry_for
from shared.messaging.celery_app import get_celery
from shared.process.worker_setup import wire_worker
from shared.runtime.metrics_server import serve_when_worker_ready

app = get_celery()
wire_worker(get_db, "notifier")
serve_when_worker_ready("notifier", lambda: registry_for(get_db))
