"""The intake's Celery worker: ``celery -A services.intake.worker worker -Q intake``."""

from services.intake import tasks  # noqa: F401 - registers the consumers on the app
from services.intake.database import get_db
from shared.celery_app import get_celery
from shared.worker_setup import wire_worker

app = get_celery()
wire_worker(get_db, "intake")
