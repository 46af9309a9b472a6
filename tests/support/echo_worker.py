"""A real Celery worker (``celery -A tests.support.echo_worker worker``) whose one task writes
what it was handed into Redis: how a test sees what a worker makes of a message."""

from __future__ import annotations

import json
from typing import Any

import redis
from celery import Task

from shared.messaging.celery_app import make_celery
from shared.runtime.log_context import REQUEST_ID_HEADER
from shared.runtime.settings import get_settings

ECHO_TASK = "intake.test.echo"  # routed by ``intake.*``, as intake's own tasks are

app = make_celery()


def received_key(task_id: str) -> str:
    return f"echo:{task_id}"


@app.task(name=ECHO_TASK, bind=True)
def echo(self: Task, message: dict[str, Any]) -> None:
    request = self.request
    seen = {
        "id": request.id,
        "kwargs": request.kwargs,
        "kwargsrepr": request.kwargsrepr,
        "request_id": request.get(REQUEST_ID_HEADER),
        "root_id": request.root_id,
        "parent_id": request.parent_id,
        "priority": request.delivery_info.get("priority"),
        "queue": request.delivery_info.get("routing_key"),
    }
    client = redis.Redis.from_url(get_settings().broker.url)
    try:
        client.set(received_key(request.id), json.dumps(seen))
    finally:
        client.close()
