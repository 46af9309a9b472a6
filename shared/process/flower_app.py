"""The Celery app Flower watches: ``celery -A shared.process.flower_app flower``.

Flower lists the queues the running workers consume, and falls back to the app's
``task_queues`` when no worker is up; the shared app declares every queue, so both views
show the same names. It imports no service, so Flower starts even while a service is broken.
"""

from celery import Celery

from shared.messaging.celery_app import get_celery

app: Celery = get_celery()
