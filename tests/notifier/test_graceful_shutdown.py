"""Graceful shutdown of a real worker: SIGTERM lets the running task finish and loses nothing.

``docker-compose.yml`` promises that SIGTERM (what ``docker compose stop`` sends, through tini,
to the worker's main process only) is Celery's warm shutdown: the running task finishes, the
worker exits 0, and the messages it had not started stay in Redis for the next worker. Here a
real notifier worker is stopped that way while the SMS gateway holds one delivery open.

One service suffices: every worker (intake, workflow, notifier) runs the same app from
``shared.messaging.celery_app.make_celery`` with the same Celery command line, so the mechanism is
the same for all of them. SIGTERM stays the warm shutdown (``REMAP_SIGTERM`` unset, Celery's
default); ``worker_prefetch_multiplier=1`` with ``task_acks_late`` means a busy worker holds
only the message it is running, unacknowledged, so the rest never leave the Redis list; the
running message is acknowledged when its task finishes. Should the task outlast the grace
period, the SIGKILL that follows leaves it unacknowledged (``task_reject_on_worker_lost`` for a
lost pool child, the visibility timeout for a lost main process) and it is delivered again to an
idempotent consumer (``tests/journeys/test_worker_crashes.py``).
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from shared.messaging.celery_app import NOTIFIER_QUEUE, get_celery
from shared.messaging.contracts import (
    NOTIFY_TASK,
    Channel,
    NotificationKind,
    NotificationRequestedV1,
)
from shared.messaging.queue_keys import queue_length
from tests.notifier.conftest import deliveries, notification
from tools.harness.processes import ServiceProcess, start_worker, wait_for
from tools.harness.redis_server import free_port
from tools.harness.sms_gateway import Answer, GatewayServer

pytestmark = pytest.mark.journey

CODES = ("PGD-2026-0101", "PGD-2026-0102", "PGD-2026-0103", "PGD-2026-0104")


@pytest.fixture
def gateway() -> Iterator[GatewayServer]:
    server = GatewayServer("json", port=free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def notifier_env(
    configured: dict[str, str], monkeypatch: pytest.MonkeyPatch, gateway: GatewayServer
) -> dict[str, str]:
    env = {
        **configured,
        "PENGADUAN_SMS_GATEWAY_URL": gateway.url,
        # The held request must outlast the shutdown, not the client's patience.
        "PENGADUAN_SMS_TIMEOUT_SECONDS": "30",
    }
    for key, value in env.items():
        if key.startswith("PENGADUAN_"):
            monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def workers() -> Iterator[list[ServiceProcess]]:
    """Notifier workers a test starts; whatever still runs is stopped afterwards."""
    started: list[ServiceProcess] = []
    yield started
    for worker in started:
        if worker.process is not None and worker.process.poll() is not None:
            worker.process = None  # exited on its own: nothing left to stop
        worker.stop()


@pytest.fixture
def broker(notifier_env: dict[str, str]) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(notifier_env["PENGADUAN_REDIS_URL"])
    yield client
    client.close()


def send(code: str) -> NotificationRequestedV1:
    msg = notification(NotificationKind.ANSWER, channels=(Channel.SMS,), code=code)
    get_celery().send_task(NOTIFY_TASK, kwargs={"message": msg.model_dump(mode="json")})
    return msg


def requests_per_code(gateway: GatewayServer) -> dict[str, int]:
    """How often the gateway was asked to send each notification's SMS."""
    return {code: sum(code in r["message"] for r in gateway.requests) for code in CODES}


def sms_status() -> dict[str, tuple[str, int]]:
    """Each notification's SMS delivery as recorded: (status, attempts) by tracking code."""
    return {d.tracking_code: (d.status, d.attempts) for d in deliveries() if d.channel == "sms"}


def group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def test_sigterm_finishes_the_running_delivery_and_leaves_the_queued_ones_in_redis(
    notifier_env: dict[str, str],
    gateway: GatewayServer,
    broker: redis.Redis,
    workers: list[ServiceProcess],
    tmp_path: Path,
) -> None:
    gateway.answer_with(Answer(hold=True))  # the first SMS waits at the gateway
    first = start_worker("notifier", notifier_env, tmp_path)
    workers.append(first)
    assert first.process is not None
    send(CODES[0])
    wait_for(lambda: gateway.requests, 30, "the first SMS held at the gateway")
    queued = [send(code) for code in CODES[1:]]  # arrive while the worker is busy

    # What `docker compose stop` does: SIGTERM to the worker's main process alone.
    first.process.send_signal(signal.SIGTERM)
    first.wait_for_output("Warm shutdown", timeout=10)
    # (The delivery's transaction is open while the gateway holds the request: on SQLite a read
    # here would wait for its lock, so the proof that it committed comes after the release.)
    assert first.process.poll() is None, "the worker left before its running task finished"

    gateway.release()
    try:
        exit_code = first.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the worker did not exit after its task finished:\n{first.output()[-4000:]}")
    assert exit_code == 0, first.output()[-4000:]
    wait_for(lambda: group_gone(first.process.pid), 10, "the pool's children to exit too")

    # The running delivery finished before the worker left: recorded sent, asked for once.
    assert sms_status() == {CODES[0]: ("sent", 1)}
    assert requests_per_code(gateway) == {CODES[0]: 1, **dict.fromkeys(CODES[1:], 0)}
    # It was acknowledged, and the messages not started are back in the queue at once: nothing
    # waits in `unacked` for the visibility timeout.
    assert broker.hlen("unacked") == 0
    assert queue_length(broker, NOTIFIER_QUEUE) == len(queued)

    workers.append(start_worker("notifier", notifier_env, tmp_path))
    wait_for(lambda: len(sms_status()) == len(CODES), 30, "every queued SMS delivered")
    wait_for(
        lambda: queue_length(broker, NOTIFIER_QUEUE) == 0 and broker.hlen("unacked") == 0,
        30,
        "the notifier queue drained",
    )
    assert sms_status() == dict.fromkeys(CODES, ("sent", 1))
    assert requests_per_code(gateway) == dict.fromkeys(CODES, 1)
    assert len(gateway.requests) == len(CODES)
