"""The workflow's Celery worker: ``celery -A services.workflow.worker worker -Q admin,kasi,...``."""

from services.workflow import tasks  # noqa: F401 - registers the step tasks on the app
from services.workflow.database import get_db
from services.workflow.metrics import registry_for
from services.workflow.staff.accounts import demo_user_check
from shared.messaging.celery_app import get_celery
from shared.process.worker_setup import wire_worker
from shared.runtime.metrics_server import serve_when_worker_ready

app = get_celery()
wire_worker(get_db, "workflow", [demo_user_check(get_db)])
serve_when_worker_ready("workflow", lambda: registry_for(get_db))
