"""A delivery whose retry the broker lost is queued again by the delivery sweep, once.

In process: the sweep's choice (only "retrying" deliveries with no try for a while, each once).
Live: a real notifier worker and a real Celery beat; the retry is taken out of Redis, as kombu's
Redis transport loses it when a worker dies between popping a message and recording it as
unacknowledged, and the email still reaches the citizen, once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import select

from services.notifier.channels.mail import TransientMailError
from services.notifier.database import get_db
from services.notifier.delivery.jobs import channel_job
from services.notifier.delivery.sweep import SweepResult, sweep_stale
from services.notifier.models import Delivery, DeliveryAttempt
from services.notifier.tasks import deliver_email
from shared.database.engine import utcnow
from shared.database.shared_tables import OutboxMessage
from shared.messaging.celery_app import get_celery
from shared.messaging.contracts import DELIVER_EMAIL_TASK, NOTIFY_TASK, Channel, ChannelDeliveryV1
from shared.messaging.queue_keys import queue_length, queued_messages
from shared.runtime.settings import get_settings
from tests.notifier.conftest import (
    CITIZEN_EMAIL,
    deliver_job,
    deliveries,
    fan_out,
    notification,
)
from tests.notifier.delivery.test_attempts_and_resends import attempts, fail_once_with_smtp_down
from tools.harness.processes import ServiceProcess, beat, start_worker, wait_for
from tools.harness.smtp import SmtpServer


def age(minutes: int) -> None:
    """Move every try and every publish ``minutes`` back: time passing, without waiting. The
    relay's second copy of each row (due after ``outbox_redrive_seconds``) went out meanwhile,
    and was lost too, or ran a try that failed: the sweep is what is left."""
    back = timedelta(minutes=minutes)
    with get_db().transaction() as session:
        for attempt in session.scalars(select(DeliveryAttempt)):
            attempt.occurred_at -= back
        for row in session.scalars(select(OutboxMessage)):
            if row.published_at is not None:
                row.published_at -= back
                row.redriven_at = row.published_at + timedelta(
                    seconds=get_settings().outbox.redrive_seconds
                )


def copies_sent(job: ChannelDeliveryV1, broker_url: str) -> int:
    """Copies of the channel's message waiting on the notifier queue (no worker runs here; the
    relay publishes each committed row at once)."""
    client = redis.Redis.from_url(broker_url)
    try:
        return sum(
            str(job.message_id).encode() in raw for raw in queued_messages(client, "notifier")
        )
    finally:
        client.close()


def sweep() -> SweepResult:
    """The sweep as beat runs it: stale means no try for five minutes."""
    with get_db().transaction() as session:
        return sweep_stale(session, utcnow() - timedelta(minutes=5))


def test_a_lost_retry_is_queued_again_once_and_delivered_once(
    configured: dict[str, str], smtp_server: SmtpServer, setting: Any
) -> None:
    broker = configured["PENGADUAN_REDIS_URL"]
    job = fail_once_with_smtp_down(setting)
    code = notification().tracking_code
    assert copies_sent(job, broker) == 1  # the first, which the worker would have run

    # Its retry is due within the backoff: not lost, nothing sent again.
    assert sweep().requeued == []
    assert copies_sent(job, broker) == 1

    # No try for ten minutes: the retry was lost, the channel's message goes out again ...
    age(10)
    assert sweep().requeued == [f"{code} email"]
    assert copies_sent(job, broker) == 2
    # ... once: a second sweep finds the copy just sent and sends nothing more.
    assert sweep().requeued == []
    assert copies_sent(job, broker) == 2

    deliver_job(DELIVER_EMAIL_TASK, job)  # the worker runs the copy; the server is back
    assert len(smtp_server.inbox.to(CITIZEN_EMAIL)) == 1
    [delivery] = deliveries()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    age(10)
    assert sweep().requeued == []  # sent: never swept again
    assert copies_sent(job, broker) == 2


def test_a_delivery_failed_for_good_waits_for_an_operator_not_the_sweep(
    configured: dict[str, str], smtp_server: SmtpServer, setting: Callable[..., None]
) -> None:
    job = fail_once_with_smtp_down(setting)
    deliver_email.give_up(job.model_dump(mode="json"), TransientMailError("SMTP masih mati"))
    assert [d.status for d in deliveries()] == ["failed"]
    age(10)
    assert sweep().requeued == []
    assert copies_sent(job, configured["PENGADUAN_REDIS_URL"]) == 1
    assert smtp_server.inbox.messages == []


def test_a_first_try_whose_fan_out_was_lost_is_queued_once_and_delivered_once(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    # The fan-out committed, then its worker died and its redelivery was lost too: the
    # email's record stays pending, never tried.
    broker = configured["PENGADUAN_REDIS_URL"]
    msg = notification(channels=(Channel.EMAIL,))
    fan_out(msg)
    job = channel_job(msg.message_id, Channel.EMAIL)
    assert sweep().requeued == []  # just written: its first try may be under way

    with get_db().transaction() as session:
        for delivery in session.scalars(select(Delivery)):
            delivery.created_at -= timedelta(minutes=10)
    assert sweep().requeued == [f"{msg.tracking_code} email"]
    assert sweep().requeued == []  # queued once
    assert copies_sent(job, broker) == 1

    deliver_job(DELIVER_EMAIL_TASK, job)
    assert len(smtp_server.inbox.to(CITIZEN_EMAIL)) == 1
    assert [(d.status, d.attempts) for d in deliveries()] == [("sent", 1)]
    assert sweep().requeued == []


@pytest.mark.journey
def test_a_retry_lost_from_redis_still_reaches_the_citizen_once(
    configured: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    smtp = SmtpServer()  # its port is chosen; nothing listens there until start()
    env = {
        **configured,
        "PENGADUAN_SMTP_PORT": str(smtp.port),
        "PENGADUAN_DELIVERY_SWEEP_SECONDS": "1",
        "PENGADUAN_DELIVERY_STALE_SECONDS": "90",
    }
    monkeypatch.setenv("PENGADUAN_SMTP_PORT", str(smtp.port))
    started: list[ServiceProcess] = []
    try:
        started.append(start_worker("notifier", env, tmp_path))
        msg = notification(channels=(Channel.EMAIL,))
        get_celery().send_task(NOTIFY_TASK, kwargs={"message": msg.model_dump(mode="json")})
        wait_for(
            lambda: [(d.status, d.attempts >= 2) for d in deliveries()] == [("retrying", True)],
            60,
            "two failed tries",
        )

        # The worker dies holding the retry, and the retry is gone from Redis with it.
        started[0].kill()
        broker = redis.Redis.from_url(env["PENGADUAN_REDIS_URL"])
        broker.delete("notifier", "unacked", "unacked_index")
        smtp.start()
        tries = len(attempts())

        # Tries and publish moved two minutes back, past the sweep's patience (90 s), so the
        # test does not wait it out; beat sends the sweep every second.
        age(2)
        started.append(start_worker("notifier", env, tmp_path))
        sweeper = beat(env, tmp_path).start()
        started.append(sweeper)
        wait_for(lambda: [d.status for d in deliveries()] == ["sent"], 90, "the email sent")
        wait_for(
            lambda: queue_length(broker, "notifier") == 0 and broker.hlen("unacked") == 0,
            60,
            "queues",
        )

        [mail] = smtp.inbox.to(CITIZEN_EMAIL)
        assert msg.tracking_code in mail.get_content()
        assert len(smtp.inbox.messages) == 1
        history = attempts()
        assert len(history) == tries + 1 and history[-1][2] == "sent"
        assert "its try was lost" in started[1].output()
    finally:
        for process in started:
            process.stop()
        smtp.stop()
