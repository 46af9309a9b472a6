"""The workflow's Celery worker: ``celery -A services.workflow.worker worker -Q admin,kasi,...``."""

from services.workflow import tasks  # noqa: F401 - registers the step tasks on the app
from services.workflow.database import get_db
from shared.celery_app import get_celery
from shared.worker_setup import wire_worker

app = get_celery()
wire_worker(get_db, "workflow")
