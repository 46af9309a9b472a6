"""A row the relay publishes (``shared.messaging.task_messages``, not ``Celery.send_task``) is
run by a real Celery worker with its kwargs, task id, request id and ``kwargsrepr``, and its
``task-sent`` event reaches an events receiver and Flower, whose task page shows the task."""

from __future__ import annotations

import json
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from celery import Celery

from services.intake.database import get_db
from shared.database.engine import utcnow
from shared.database.shared_tables import OutboxMessage
from shared.messaging.celery_app import get_celery
from shared.messaging.outbox import task_summary
from shared.messaging.relay import OutboxRelay
from tests.shared.runtime.test_flower import PASSWORD, USER, FlowerProcess
from tests.support.echo_worker import ECHO_TASK, received_key
from tools.harness.processes import ServiceProcess, wait_for

PAYLOAD = {"message_id": "m-42", "tracking_code": "PGD-ECHO-0042", "status": "verified"}


class SentEvents:
    """Celery's events as an events receiver gets them (Flower's way in), in a thread."""

    def __init__(self, app: Celery) -> None:
        self.seen: list[dict[str, Any]] = []
        self._app = app
        self._receiver: Any = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with self._app.connection_for_read() as connection:
            self._receiver = self._app.events.Receiver(connection, handlers={"*": self.seen.append})
            self._ready.set()
            self._receiver.capture(limit=None, timeout=None, wakeup=False)

    def __enter__(self) -> SentEvents:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def __exit__(self, *_: object) -> None:
        self._receiver.should_stop = True
        self._thread.join(10)

    def of(self, task_id: str) -> list[dict[str, Any]]:
        return [event for event in list(self.seen) if event.get("uuid") == task_id]


@pytest.fixture
def echo_worker(service_env: dict[str, str], tmp_path: Path) -> Iterator[ServiceProcess]:
    argv = [
        sys.executable, "-m", "celery", "-A", "tests.support.echo_worker", "worker",
        "-Q", "intake", "-c", "1", "-P", "prefork", "--loglevel", "INFO", "-n", "echo@%h",
        "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    process = ServiceProcess("worker-echo", argv, service_env, tmp_path).start()
    process.wait_for_output("ready.", timeout=90)
    yield process
    process.stop()


@pytest.fixture
def flower(tmp_path: Path, broker_url: str) -> Iterator[FlowerProcess]:
    process = FlowerProcess(tmp_path / "flower.db", broker_url, tmp_path).start()
    yield process
    process.stop()


def flower_task(flower: FlowerProcess, task_id: str) -> dict[str, Any] | None:
    answer = httpx.get(f"{flower.url}/api/task/info/{task_id}", auth=(USER, PASSWORD), timeout=5)
    return answer.json() if answer.status_code == 200 else None  # type: ignore[no-any-return]


def listening(app: Celery, events: SentEvents, flower: FlowerProcess) -> None:
    """Until the receiver and Flower both get events: a probe event is sent on every poll until
    each has seen one (an event sent before a listener subscribed is not kept for it)."""
    probes: list[str] = []

    def heard() -> bool:
        probes.append(f"probe-{len(probes)}")
        with app.events.default_dispatcher() as dispatcher:
            dispatcher.send("task-sent", uuid=probes[-1], name="probe")
        return any(events.of(probe) for probe in probes) and any(
            flower_task(flower, probe) for probe in probes[-3:]
        )

    wait_for(heard, 30, "the events receiver and Flower to hear events")


def test_a_relayed_row_runs_on_a_worker_and_flower_shows_its_task(
    configured: dict[str, str], echo_worker: ServiceProcess, flower: FlowerProcess
) -> None:
    app = get_celery()
    task_id = str(uuid.uuid4())
    with SentEvents(app) as events:
        listening(app, events, flower)
        with get_db().sessions() as session, session.begin():
            session.add(
                OutboxMessage(
                    id=task_id,
                    task_name=ECHO_TASK,
                    payload=PAYLOAD,
                    created_at=utcnow(),
                    request_id="req-42",
                )
            )
        assert OutboxRelay(get_db().sessions, app).publish_pending() == 1

        client = redis.Redis.from_url(configured["PENGADUAN_REDIS_URL"])
        try:
            wait_for(lambda: client.get(received_key(task_id)), 30, "the worker to run the task")
            ran = json.loads(client.get(received_key(task_id)) or b"{}")
        finally:
            client.close()
        assert ran == {
            "id": task_id,
            "kwargs": {"message": PAYLOAD},
            "kwargsrepr": task_summary(PAYLOAD),
            "request_id": "req-42",
            "root_id": task_id,
            "parent_id": None,
            "priority": 0,
            "queue": "intake",
        }
        wait_for(lambda: [e for e in events.of(task_id) if e["type"] == "task-sent"], 15, "sent")
    [sent] = [event for event in events.of(task_id) if event["type"] == "task-sent"]
    assert (sent["name"], sent["kwargs"], sent["args"]) == (ECHO_TASK, task_summary(PAYLOAD), "()")
    assert (sent["queue"], sent["routing_key"], sent["root_id"]) == ("intake", "intake", task_id)
    assert {"task-received", "task-started", "task-succeeded"} <= {
        event["type"] for event in events.of(task_id)
    }

    wait_for(lambda: (flower_task(flower, task_id) or {}).get("state") == "SUCCESS", 30, "Flower")
    shown = flower_task(flower, task_id) or {}
    assert (shown["name"], shown["kwargs"]) == (ECHO_TASK, task_summary(PAYLOAD))
    assert shown["sent"] is not None  # Flower got the task-sent event
    assert shown["routing_key"] == "intake"
    page = httpx.get(f"{flower.url}/task/{task_id}", auth=(USER, PASSWORD), timeout=10)
    assert page.status_code == 200
    assert ECHO_TASK in page.text
    assert task_id in page.text
