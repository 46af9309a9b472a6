"""The notifier's channels as they run: a real notifier worker on the real Redis queues, a real
SMTP server (aiosmtpd) and a real local HTTP server playing the SMS gateway; workers killed
mid-send and servers taken down for a while.

The gateway plays a real one's idempotency: it takes the same ``Idempotency-Key`` once, so one
SMS reaches the phone however often the notifier asks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from services.notifier.database import get_db
from services.notifier.models import DeliveryAttempt
from shared.messaging.celery_app import get_celery
from shared.messaging.contracts import INTAKE_INBOX_TASK, NOTIFY_TASK, Channel, NotificationKind
from shared.messaging.queue_keys import queue_length
from tests.notifier.conftest import ANSWER, CITIZEN_EMAIL, deliveries, notification, outbox_rows
from tools.harness.processes import ServiceProcess, start_worker, wait_for
from tools.harness.redis_server import free_port
from tools.harness.sms_gateway import Answer, GatewayServer
from tools.harness.smtp import SmtpServer

pytestmark = pytest.mark.journey

PHONE = "+6281234567890"


def phone_received(gateway: GatewayServer) -> list[str]:
    """The SMS texts that reached the phone: one per idempotency key, as the gateway sends."""
    seen: dict[str, str] = {}
    for request in gateway.requests:
        seen.setdefault(request["headers"]["Idempotency-Key"], request["message"])
    return list(seen.values())


def statuses() -> dict[str, tuple[str, int]]:
    return {d.channel: (d.status, d.attempts) for d in deliveries()}


def attempts() -> list[tuple[str, str]]:
    with get_db().sessions() as session:
        rows = session.scalars(select(DeliveryAttempt).order_by(DeliveryAttempt.id))
        return [(a.channel, a.outcome) for a in rows]


def queues_drained(broker_url: str) -> bool:
    """Nothing waiting on the notifier queue and nothing taken but unacknowledged."""
    client = redis.Redis.from_url(broker_url)
    try:
        return queue_length(client, "notifier") == 0 and client.hlen("unacked") == 0
    finally:
        client.close()


def send(kind: NotificationKind, channels: tuple[Channel, ...]) -> Any:
    msg = notification(kind, channels=channels)
    get_celery().send_task(NOTIFY_TASK, kwargs={"message": msg.model_dump(mode="json")})
    return msg


def metric(port: int, channel: str, status: str) -> float:
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "pengaduan_notifier_deliveries" and sample.labels == {
                "channel": channel,
                "status": status,
            }:
                return sample.value
    raise AssertionError(f"no deliveries figure for {channel}/{status}")


@pytest.fixture
def gateway_port() -> int:
    return free_port()


@pytest.fixture
def notifier_env(
    configured: dict[str, str], monkeypatch: pytest.MonkeyPatch, gateway_port: int
) -> dict[str, str]:
    env = {
        **configured,
        "PENGADUAN_SMS_GATEWAY_URL": f"http://127.0.0.1:{gateway_port}/sms",
        "PENGADUAN_SMS_GATEWAY_TOKEN": "rahasia-gateway",
        "PENGADUAN_NOTIFIER_METRICS_PORT": str(free_port()),
    }
    for key, value in env.items():
        if key.startswith("PENGADUAN_"):
            monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[list[ServiceProcess]]:
    """Notifier workers a test starts; stopped (even when killed already) afterwards."""
    started: list[ServiceProcess] = []
    yield started
    for worker in started:
        worker.stop()


def test_sms_survives_a_worker_killed_mid_send_and_reaches_the_phone_once(
    notifier_env: dict[str, str], gateway_port: int, workers: list[ServiceProcess], tmp_path: Path
) -> None:
    gateway = GatewayServer("json", port=gateway_port)
    gateway.answer_with(Answer(hold=True))  # the first send waits at the gateway
    gateway.start()
    try:
        workers.append(start_worker("notifier", notifier_env, tmp_path))
        msg = send(NotificationKind.ANSWER, (Channel.SMS,))

        wait_for(lambda: gateway.requests, 60, "the SMS at the gateway")
        workers[0].kill()  # mid-send: the gateway has the request, the worker never hears back
        gateway.release()
        # Only what the fan-out committed before its try: the delivery is not recorded as sent.
        assert statuses() == {"sms": ("pending", 0)}

        workers.append(start_worker("notifier", notifier_env, tmp_path))
        wait_for(lambda: statuses().get("sms", ("",))[0] == "sent", 90, "the SMS redelivered")
        wait_for(lambda: queues_drained(notifier_env["PENGADUAN_REDIS_URL"]), 60, "queues")

        # Asked twice, with the same key: one SMS on the phone, with the answer.
        assert len(gateway.requests) == 2
        [text] = phone_received(gateway)
        assert msg.tracking_code in text and ANSWER[:40] in text
        assert gateway.requests[0]["to"] == PHONE
        assert gateway.requests[0]["headers"]["Authorization"] == "Bearer rahasia-gateway"
        metrics_port = int(notifier_env["PENGADUAN_NOTIFIER_METRICS_PORT"])
        assert metric(metrics_port, "sms", "sent") == 1
    finally:
        gateway.stop()


def test_smtp_and_gateway_down_for_a_while_deliver_once_when_back(
    notifier_env: dict[str, str],
    gateway_port: int,
    workers: list[ServiceProcess],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Not the suite's SMTP server (``smtp_server``, started already): one on a port of its own
    # that nothing listens on until the test starts it.
    down = SmtpServer()
    notifier_env = {**notifier_env, "PENGADUAN_SMTP_PORT": str(down.port)}
    monkeypatch.setenv("PENGADUAN_SMTP_PORT", str(down.port))
    workers.append(start_worker("notifier", notifier_env, tmp_path))
    msg = send(NotificationKind.ANSWER, (Channel.EMAIL, Channel.SMS))

    def both_retried() -> bool:
        return all(
            statuses().get(channel, ("", 0))[0] == "retrying" and statuses()[channel][1] >= 2
            for channel in ("email", "sms")
        )

    wait_for(both_retried, 60, "two failed tries on each channel")
    metrics_port = int(notifier_env["PENGADUAN_NOTIFIER_METRICS_PORT"])
    assert metric(metrics_port, "email", "retrying") == 1
    assert metric(metrics_port, "sms", "retrying") == 1

    gateway = GatewayServer("json", port=gateway_port)
    gateway.start()
    down.start()
    try:
        wait_for(lambda: {s for s, _ in statuses().values()} == {"sent"}, 120, "both channels sent")
        wait_for(lambda: queues_drained(notifier_env["PENGADUAN_REDIS_URL"]), 60, "queues")

        [mail] = down.inbox.to(CITIZEN_EMAIL)
        assert msg.tracking_code in mail.get_content()
        assert len(down.inbox.messages) == 1
        assert len(gateway.requests) == 1
        assert msg.tracking_code in phone_received(gateway)[0]
        # Every try is on record: the failed ones, then one that went out, per channel.
        history = attempts()
        for channel in ("email", "sms"):
            outcomes = [o for c, o in history if c == channel]
            assert outcomes[-1] == "sent" and outcomes.count("sent") == 1
            assert set(outcomes[:-1]) == {"retrying"} and len(outcomes) >= 3
        assert metric(metrics_port, "email", "sent") == 1
        assert metric(metrics_port, "sms", "retrying") == 0
    finally:
        gateway.stop()
        down.stop()


def test_a_worker_killed_mid_fan_out_loses_no_channel_and_sends_none_twice(
    notifier_env: dict[str, str],
    smtp_server: SmtpServer,
    gateway_port: int,
    workers: list[ServiceProcess],
    tmp_path: Path,
) -> None:
    # The suite's SMTP server (``smtp_server``), which ``notifier_env`` already names.
    gateway = GatewayServer("json", port=gateway_port)
    gateway.start()
    try:
        # Killed once the email's try committed, before the SMS's.
        paused = {**notifier_env, "PENGADUAN_FAULT_PAUSE_AT": f"{NOTIFY_TASK}:email:after-commit"}
        workers.append(start_worker("notifier", paused, tmp_path))
        msg = send(NotificationKind.ANSWER, (Channel.EMAIL, Channel.SMS, Channel.APP))
        workers[0].wait_for_output("FAULT-CHECKPOINT-REACHED", timeout=60)
        workers[0].kill()
        assert statuses() == {"email": ("sent", 1), "sms": ("pending", 0), "app": ("sent", 1)}
        assert gateway.requests == []

        workers.append(start_worker("notifier", notifier_env, tmp_path))
        wait_for(lambda: statuses().get("sms", ("",))[0] == "sent", 90, "the SMS tried")
        wait_for(lambda: queues_drained(notifier_env["PENGADUAN_REDIS_URL"]), 60, "queues")

        # Each channel once: the redelivered fan-out tried the SMS alone.
        assert statuses() == {"email": ("sent", 1), "sms": ("sent", 1), "app": ("sent", 1)}
        assert len(smtp_server.inbox.to(CITIZEN_EMAIL)) == 1
        assert len(smtp_server.inbox.messages) == 1
        assert len(gateway.requests) == 1 and msg.tracking_code in phone_received(gateway)[0]
        assert sorted(attempts()) == [("app", "sent"), ("email", "sent"), ("sms", "sent")]
        assert [r.task_name for r in outbox_rows(None) if r.task_name.startswith("notifier.")] == []
        assert len(outbox_rows(INTAKE_INBOX_TASK)) == 1  # the app's hand-over, once
    finally:
        gateway.stop()
