"""No complaint is lost: filing while Redis is down is accepted, kept in the outbox and
published once Redis is back."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.intake.api.app import create_app
from shared.messaging.contracts import NOTIFY_TASK
from shared.sop import FIRST_STEP
from tests.intake.conftest import file, outbox_rows, queued, track
from tests.support.state import reset_process_state
from tools.harness.processes import wait_for
from tools.harness.redis_server import RedisServer


@pytest.fixture
def private_redis(
    configured: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[RedisServer]:
    """A Redis of this test's own, to stop and start; intake in this process uses it."""
    server = RedisServer(tmp_path / "redis")
    server.start()
    monkeypatch.setenv("PENGADUAN_REDIS_URL", f"{server.url}/0")
    reset_process_state()
    yield server
    server.stop()


def test_a_complaint_filed_while_redis_is_down_reaches_the_queue_when_redis_is_back(
    private_redis: RedisServer,
) -> None:
    broker = f"{private_redis.url}/0"
    private_redis.stop()
    with TestClient(create_app()) as client:
        filed = file(client)  # 202, though no broker answers

        # The relay tried and failed: both messages stay in the outbox, unpublished.
        wait_for(lambda: any(row.attempts for row in outbox_rows()), 15, "a relay attempt")
        assert [row.published_at for row in outbox_rows()] == [None, None]
        # The citizen can follow the complaint meanwhile.
        assert track(client, filed["tracking_code"], filed["access_token"])["status"] == (
            "submitted"
        )

        private_redis.start()  # same port, as after a restart

        wait_for(lambda: queued(broker, "admin"), 30, "the complaint on the admin queue")
        wait_for(
            lambda: queued(broker, "notifier"), 30, "the acknowledgement on the notifier queue"
        )
        wait_for(lambda: all(r.published_at for r in outbox_rows()), 15, "rows marked published")

    [to_admin] = queued(broker, "admin")
    assert to_admin["headers"]["task"] == FIRST_STEP.arrive_task
    _args, kwargs, _embed = json.loads(base64.b64decode(to_admin["body"]))
    assert kwargs["message"]["tracking_code"] == filed["tracking_code"]
    [to_notifier] = queued(broker, "notifier")
    assert to_notifier["headers"]["task"] == NOTIFY_TASK
