"""Every try of a delivery is recorded; a delivery that failed for good can be re-sent once an
operator asks; the app channel hands its message to intake's inbox exactly once.

The hooks around a failed try (Celery's ``on_retry``; ``give_up``, which the task calls after its
last try) are called here on the real task objects, as the worker calls them; the journey tests
run them in real workers.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from services.notifier.channels.mail import TransientMailError
from services.notifier.database import get_db
from services.notifier.delivery.deliver import claim_delivery, find_delivery, load_notification
from services.notifier.delivery.deliver import fan_out as fan_out_body
from services.notifier.models import DeliveryAttempt
from services.notifier.tasks import deliver_email, resend_delivery
from shared.database.shared_tables import FailedMessage
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    DELIVER_APP_TASK,
    DELIVER_EMAIL_TASK,
    INTAKE_INBOX_TASK,
    RESEND_TASK,
    Channel,
    ChannelDeliveryV1,
    InboxMessageV1,
    NotificationDeliveredV1,
    NotificationKind,
    ResendRequestedV1,
)
from tests.notifier.conftest import (
    ANSWER,
    CITIZEN_EMAIL,
    channel_jobs,
    consume,
    count,
    deliver_job,
    deliveries,
    fan_out,
    notification,
    outbox_rows,
    reported_outcomes,
)
from tools.harness.redis_server import free_port
from tools.harness.smtp import SmtpServer


def attempts() -> list[tuple[str, int, str]]:
    with get_db().transaction() as session:
        rows = session.scalars(select(DeliveryAttempt).order_by(DeliveryAttempt.id))
        return [(a.channel, a.attempt, a.outcome) for a in rows]


def reports() -> list[NotificationDeliveredV1]:
    return reported_outcomes()


def task_kwargs(job: ChannelDeliveryV1) -> dict[str, Any]:
    return {"message": job.model_dump(mode="json")}


def fail_once_with_smtp_down(setting: Callable[[str, str | None], None]) -> ChannelDeliveryV1:
    """File an answer for email while the SMTP server cannot be reached, and run it as the
    worker would: the fan-out's first try fails, is noted as retrying, and the email's own task
    is queued (returned), to retry it."""
    msg = notification(channels=(Channel.EMAIL,))
    smtp_port = os.environ["PENGADUAN_SMTP_PORT"]
    setting("PENGADUAN_SMTP_PORT", str(free_port()))  # nothing listens there
    try:
        consume(msg)
    finally:
        setting("PENGADUAN_SMTP_PORT", smtp_port)
    [(task, job)] = channel_jobs(msg)
    assert task == DELIVER_EMAIL_TASK
    return job


def test_a_passing_failure_shows_as_retrying_and_each_try_is_kept(
    configured: dict[str, str], smtp_server: SmtpServer, setting: Any
) -> None:
    job = fail_once_with_smtp_down(setting)

    [delivery] = deliveries()
    assert (delivery.status, delivery.attempts) == ("retrying", 1)
    assert "SMTP" in (delivery.detail or "")
    assert attempts() == [("email", 1, "retrying")]
    assert reports() == []  # the case's record hears only the outcome

    # The retry, with the server back: sent, and the history shows both tries.
    deliver_job(DELIVER_EMAIL_TASK, job)
    assert len(smtp_server.inbox.to(CITIZEN_EMAIL)) == 1
    [delivery] = deliveries()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert attempts() == [("email", 1, "retrying"), ("email", 2, "sent")]
    [report] = reports()
    assert (report.status, report.attempts, report.notification_id) == (
        "sent",
        2,
        job.notification_id,
    )


def test_a_refused_delivery_is_final_and_reported_with_its_notification(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    msg = notification(channels=(Channel.EMAIL,), email=None)
    fan_out(msg)
    [(task, job)] = channel_jobs(msg)
    deliver_job(task, job)

    [delivery] = deliveries()
    assert delivery.status == "failed"
    assert attempts() == [("email", 1, "failed")]
    [report] = reports()
    assert (report.status, report.notification_id, report.channel) == (
        "failed",
        msg.message_id,
        Channel.EMAIL,
    )


def test_retries_used_up_mark_the_delivery_failed_for_operators(
    configured: dict[str, str], smtp_server: SmtpServer, setting: Any
) -> None:
    job = fail_once_with_smtp_down(setting)
    error = TransientMailError("SMTP masih mati")
    deliver_email.give_up(task_kwargs(job)["message"], error)

    [delivery] = deliveries()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert attempts() == [("email", 1, "retrying"), ("email", 2, "failed")]
    [report] = reports()
    assert (report.status, report.detail) == ("failed", "SMTP masih mati")
    assert count(FailedMessage) == 1  # and the message itself is kept, as for every task
    assert smtp_server.inbox.to(CITIZEN_EMAIL) == []


def resend(notification_id: uuid.UUID, channel: Channel = Channel.EMAIL) -> str:
    request = ResendRequestedV1(
        notification_id=notification_id, channel=channel, requested_by="admin1"
    )
    return consume_once(get_db(), RESEND_TASK, request, resend_delivery)


def test_an_operator_resends_a_failed_delivery_once(
    configured: dict[str, str], smtp_server: SmtpServer, setting: Any
) -> None:
    job = fail_once_with_smtp_down(setting)
    deliver_email.give_up(task_kwargs(job)["message"], TransientMailError("mati"))

    resend(job.notification_id)
    resend(job.notification_id)  # asked twice (two clicks): one re-send
    jobs = [ChannelDeliveryV1.model_validate(r.payload) for r in outbox_rows(DELIVER_EMAIL_TASK)]
    assert len(jobs) == 2  # the first delivery's, and the re-send's
    [again] = [j for j in jobs if j.message_id != job.message_id]
    assert deliveries()[0].status == "retrying"

    deliver_job(DELIVER_EMAIL_TASK, again)
    assert len(smtp_server.inbox.to(CITIZEN_EMAIL)) == 1
    [delivery] = deliveries()
    assert (delivery.status, delivery.resends, delivery.attempts) == ("sent", 1, 3)
    # The case's record hears of the failure and, under a new id, of the re-send's success.
    assert [(r.status, r.attempts) for r in reports()] == [("failed", 2), ("sent", 3)]
    assert len({r.message_id for r in reports()}) == 2

    resend(job.notification_id)  # a sent delivery is never sent again
    assert len(outbox_rows(DELIVER_EMAIL_TASK)) == 2


def test_resend_of_a_delivery_that_went_out_changes_nothing(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    msg = notification(channels=(Channel.EMAIL,))
    fan_out(msg)
    [(task, job)] = channel_jobs(msg)
    deliver_job(task, job)
    assert outbox_rows(DELIVER_EMAIL_TASK) == []  # its first try is the fan-out's

    assert resend(msg.message_id) == "applied"  # consumed, and found nothing to do
    assert outbox_rows(DELIVER_EMAIL_TASK) == []
    assert deliveries()[0].resends == 0


def test_app_channel_hands_the_message_to_the_inbox_once(configured: dict[str, str]) -> None:
    msg = notification(NotificationKind.ANSWER, channels=(Channel.APP,))
    consume(msg)  # the hand-over is written in the fan-out's own transaction
    consume(msg)
    with get_db().transaction() as session:  # the fan-out's body again, outside the inbox
        fan_out_body(session, msg)
    assert outbox_rows(DELIVER_APP_TASK) == []  # no task of its own

    [inbox_row] = outbox_rows(INTAKE_INBOX_TASK)
    inbox = InboxMessageV1.model_validate(inbox_row.payload)
    assert (inbox.tracking_code, inbox.kind, inbox.notification_id) == (
        msg.tracking_code,
        NotificationKind.ANSWER,
        msg.message_id,
    )
    assert msg.tracking_code in inbox.title
    assert ANSWER in inbox.body
    [delivery] = deliveries()
    assert (delivery.channel, delivery.status, delivery.gateway_reference) == (
        "app",
        "sent",
        str(inbox.message_id),
    )
    # No personal data in the message to intake's queue beyond what the complainant wrote.
    assert CITIZEN_EMAIL not in inbox_row.payload.__repr__()


def test_a_copy_that_finds_its_delivery_finished_meanwhile_sends_nothing(
    configured: dict[str, str], smtp_server: SmtpServer, setting: Any
) -> None:
    """Two copies of one channel message (a retry and the outbox's second copy, say) run side by
    side: the second read the record while it was still retrying, the first then sent and
    committed. The second's claim must find the record final and not send again."""
    job = fail_once_with_smtp_down(setting)
    with get_db().transaction() as session:
        msg = load_notification(session, job.notification_id)
        stale = find_delivery(session, job.notification_id, Channel.EMAIL)
        assert stale is not None
        assert stale.status == "retrying"
    deliver_job(DELIVER_EMAIL_TASK, job)  # the first copy: sent and committed
    assert len(smtp_server.inbox.to(CITIZEN_EMAIL)) == 1

    # The second copy claims with its view from before (between its read and its claim).
    with get_db().transaction() as session:
        session.add(stale)
        claimed = claim_delivery(session, msg, Channel.EMAIL, address=CITIZEN_EMAIL, delivery=stale)
        assert claimed is None
    assert len(smtp_server.inbox.to(CITIZEN_EMAIL)) == 1
    assert attempts() == [("email", 1, "retrying"), ("email", 2, "sent")]
    [delivery] = deliveries()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
