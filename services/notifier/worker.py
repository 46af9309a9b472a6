"""The notifier's Celery worker: ``celery -A services.notifier.worker worker -Q notifier``."""

from services.notifier import tasks  # noqa: F401 - registers the notification task on the app
from services.notifier.database import get_db
from shared.celery_app import get_celery
from shared.worker_setup import wire_worker

app = get_celery()
wire_worker(get_db, "notifier")
