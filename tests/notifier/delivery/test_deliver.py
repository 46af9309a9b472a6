"""Delivering notifications through the notifier's task body, against a real SMTP server."""

from __future__ import annotations

import base64
import email
import email.policy
import json
import mailbox
import threading
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from services.notifier.channels.mail import TransientMailError, message_id_for
from services.notifier.database import get_db
from services.notifier.delivery.deliver import deliver_channel
from services.notifier.delivery.deliver import fan_out as fan_out_body
from services.notifier.messages import IncompleteNotification
from services.notifier.tasks import deliver
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    DELIVER_EMAIL_TASK,
    INTAKE_ANSWERED_TASK,
    WORKFLOW_NOTIFIED_V2_TASK,
    Channel,
    ChannelDeliveryV1,
    ComplaintAnsweredV1,
    NotificationDeliveredV2,
    NotificationKind,
)
from shared.messaging.queue_keys import queued_messages
from shared.runtime.settings import get_settings
from tests.notifier.conftest import (
    ANSWER,
    CITIZEN_EMAIL,
    channel_jobs,
    consume,
    deliver_job,
    deliveries,
    fan_out,
    notification,
    outbox_rows,
    processed_count,
    reported_outcomes,
    settled,
)
from tools.harness.redis_server import free_port
from tools.harness.smtp import SmtpServer


def test_answer_email_reaches_the_complainant_in_indonesian(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    msg = notification()
    assert consume(msg) == "applied"

    [mail] = smtp_server.inbox.to(CITIZEN_EMAIL)
    body = mail.get_content()
    assert "Siti Aminah" in str(mail["To"])
    assert mail["Subject"] == f"Jawaban pengaduan {msg.tracking_code}: {msg.subject}"
    assert "Jawaban pengaduan:" in body
    assert ANSWER in body  # the em dash survives: UTF-8 end to end
    assert msg.tracking_code in body
    assert mail["Message-ID"] == message_id_for(msg.message_id, "email", mail["From"])
    assert mail["Date"] is not None

    [delivery, _] = deliveries()  # the email's, and the app's (its hand-over to intake)
    assert (delivery.status, delivery.channel, delivery.recipient) == (
        "sent",
        "email",
        CITIZEN_EMAIL,
    )
    assert (delivery.kind, delivery.tracking_code, delivery.attempts) == (
        "answer",
        msg.tracking_code,
        1,
    )
    assert delivery.sent_at is not None


def test_the_reminder_email_names_the_reply_deadline_kept_with_the_notification(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    """Each channel's task reads the notification back from the notifier's table: the deadline
    must be stored with it, or the reminder would go out without its point."""
    assert consume(notification(NotificationKind.INFORMATION_REMINDER)) == "applied"

    [mail] = smtp_server.inbox.to(CITIZEN_EMAIL)
    assert "Pengingat" in mail["Subject"]
    body = " ".join(mail.get_content().split())
    assert "Batas waktu tanggapan: 18 Desember 2026, 16.00 WIB" in body


def test_filing_acknowledgement_gives_tracking_code_and_where_to_follow_it(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    msg = notification(NotificationKind.FILED)
    consume(msg)

    [mail] = smtp_server.inbox.to(CITIZEN_EMAIL)
    body = mail.get_content()
    assert msg.tracking_code in mail["Subject"]
    assert "Laporan pengaduan Anda telah kami terima" in body
    assert msg.tracking_code in body
    assert "token akses" in body
    assert get_settings().web.public_intake_url in body


def test_filing_acknowledgement_tells_intake_nothing(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    consume(notification(NotificationKind.FILED))
    assert outbox_rows() == []


def test_same_message_consumed_twice_sends_one_email_and_records_one_delivery(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    msg = notification()
    assert consume(msg) == "applied"
    assert consume(msg) == "duplicate"

    assert len(smtp_server.inbox.to(CITIZEN_EMAIL)) == 1
    assert len(deliveries()) == 2  # the email's and the app's
    assert len(outbox_rows()) == 1


def test_sent_answer_is_not_sent_or_handed_to_intake_again_even_without_the_inbox_record(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    # The deliveries record holds on its own: the fan-out and the email's task body twice each,
    # outside the consumer's inbox.
    msg = notification(channels=(Channel.EMAIL,))
    for _ in range(2):
        with get_db().transaction() as session:
            fan_out_body(session, msg)
    [(_, job)] = channel_jobs(msg)
    for _ in range(2):
        with get_db().transaction() as session:
            deliver_channel(session, job)

    assert len(smtp_server.inbox.to(CITIZEN_EMAIL)) == 1
    assert [d.status for d in deliveries()] == ["sent"]
    assert len(outbox_rows()) == 1
    assert outbox_rows(DELIVER_EMAIL_TASK) == []  # its first try is the fan-out task's
    assert len(outbox_rows(WORKFLOW_NOTIFIED_V2_TASK)) == 1


def _queued_for_intake(env: dict[str, str], task: str) -> list[Any]:
    """The messages of ``task`` waiting on intake's queue (an SMS-only notice that failed for
    good also queues ``intake.notice.undeliverable`` there), alone or as items of a batch
    (``contracts.batches``: the answer and the app's inbox hand-over of one notification are
    written together, so they travel as one shared batch)."""
    client = redis.Redis.from_url(env["PENGADUAN_REDIS_URL"])
    try:
        queued = [json.loads(raw) for raw in queued_messages(client, "intake")]
    finally:
        client.close()
    found: list[Any] = []
    for sent in queued:
        _args, kwargs, _embed = json.loads(base64.b64decode(sent["body"]))  # kombu's JSON body
        message = kwargs["message"]
        if sent["headers"]["task"] == task:
            found.append(message)
        elif "items" in message:
            found.extend(i["message"] for i in message["items"] if i["task"] == task)
        elif message.get("task") == task:
            found.extend(message["messages"])
    return found


@pytest.mark.parametrize(
    "channels",
    [(Channel.EMAIL, Channel.APP), (Channel.APP,), (Channel.SMS,)],
    ids=["email-and-app", "app-only", "sms-only"],
)
def test_answer_is_handed_to_intake_once_whatever_the_channels(
    configured: dict[str, str], smtp_server: SmtpServer, channels: tuple[Channel, ...]
) -> None:
    # Only the chosen contact: a failed SMS would otherwise fall back to email (test_fallback).
    msg = notification(
        channels=channels, email=CITIZEN_EMAIL if Channel.EMAIL in channels else None
    )
    consume(msg)
    consume(msg)

    [row] = outbox_rows()
    assert row.task_name == INTAKE_ANSWERED_TASK
    answered = ComplaintAnsweredV1.model_validate(row.payload)
    assert (answered.tracking_code, answered.answer) == (msg.tracking_code, ANSWER)
    assert row.published_at is not None  # the relay published it after the commit
    assert len(_queued_for_intake(configured, INTAKE_ANSWERED_TASK)) == 1
    expected_mails = 1 if Channel.EMAIL in channels else 0
    assert len(smtp_server.inbox.messages) == expected_mails
    # Every channel tried: SMS without a gateway configured is recorded as failed.
    assert sorted(d.channel for d in deliveries()) == sorted(c.value for c in channels)


def test_smtp_server_down_raises_transient_error_and_commits_nothing(
    setting: Any, smtp_server: SmtpServer
) -> None:
    setting("PENGADUAN_SMTP_PORT", str(free_port()))  # nothing listens there

    msg = notification(channels=(Channel.EMAIL,))
    assert fan_out(msg) == "applied"
    [(task, job)] = channel_jobs(msg)
    with pytest.raises(TransientMailError):
        deliver_job(task, job)

    assert not settled()  # the email's transaction rolled back: its retry sends it
    assert outbox_rows(WORKFLOW_NOTIFIED_V2_TASK) == []
    assert processed_count() == 1  # the fan-out only
    assert smtp_server.inbox.messages == []
    assert len(outbox_rows()) == 1  # the tracking page has the answer all the same


def test_email_channel_without_an_address_records_a_failed_delivery(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    consume(notification(email=None))

    [delivery, _] = deliveries()  # the email's, and the app's
    assert (delivery.status, delivery.recipient) == ("failed", None)
    assert "alamat email" in (delivery.detail or "")
    assert smtp_server.inbox.messages == []
    assert len(outbox_rows()) == 1  # the tracking page still gets the answer


def test_answer_without_answer_text_is_refused_and_changes_nothing(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    msg = notification().model_copy(update={"answer": None})
    with pytest.raises(IncompleteNotification):
        consume(msg)
    assert (deliveries(), outbox_rows(None), smtp_server.inbox.messages) == ([], [], [])


def test_without_smtp_host_mail_is_kept_in_the_local_maildir(
    configured: dict[str, str], setting: Any, smtp_server: SmtpServer
) -> None:
    setting("PENGADUAN_SMTP_HOST", None)
    msg = notification(NotificationKind.FILED)
    consume(msg)

    assert smtp_server.inbox.messages == []
    box = mailbox.Maildir(Path(configured["PENGADUAN_DATA_DIR"]) / "mail", create=False)
    [key] = box.keys()
    mail = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
    assert CITIZEN_EMAIL in str(mail["To"])
    assert msg.tracking_code in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert mail["Message-ID"] == message_id_for(
        msg.message_id, "email", get_settings().mail.from_address
    )
    assert [d.status for d in deliveries()] == ["sent", "sent"]  # the email, the app


def test_two_workers_delivering_one_message_at_once_send_one_email(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    msg = notification(channels=(Channel.EMAIL,))
    fan_out(msg)
    [(task, job)] = channel_jobs(msg)
    first_sent, release_first = threading.Event(), threading.Event()
    outcomes: dict[str, object] = {}

    def first_worker(session: Session, message: ChannelDeliveryV1) -> None:
        deliver(session, message)  # the email is out; the transaction not yet committed
        first_sent.set()
        release_first.wait(30)

    def run(name: str, fn: Any) -> None:
        try:
            outcomes[name] = consume_once(get_db(), task, job, fn)
        except OperationalError as exc:  # SQLite's lock: transient, retried as a duplicate
            outcomes[name] = exc

    first = threading.Thread(target=run, args=("first", first_worker))
    first.start()
    assert first_sent.wait(30)
    second = threading.Thread(target=run, args=("second", deliver))
    second.start()
    second.join(0.5)  # time to reach the delivery record, where it must wait for the first
    release_first.set()
    first.join(30)
    second.join(30)

    assert outcomes["first"] == "applied"
    assert outcomes["second"] == "duplicate" or isinstance(outcomes["second"], OperationalError)
    assert len(smtp_server.inbox.to(CITIZEN_EMAIL)) == 1
    assert [d.status for d in deliveries()] == ["sent"]


def test_each_delivery_is_put_on_the_case_record_once(configured, smtp_server) -> None:
    msg = notification(NotificationKind.ANSWER, channels=(Channel.EMAIL,))
    consume(msg)
    consume(msg)
    assert len(outbox_rows(WORKFLOW_NOTIFIED_V2_TASK)) == 1
    [row] = reported_outcomes()
    assert row.tracking_code == msg.tracking_code
    assert (row.channel.value, row.status, row.kind.value) == (
        "email",
        "sent",
        "answer",
    )


def test_a_notifications_channels_are_reported_together_once_the_last_settles(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    msg = notification(channels=(Channel.EMAIL, Channel.APP))
    fan_out(msg)
    [(task, email_job)] = channel_jobs(msg)
    assert outbox_rows(WORKFLOW_NOTIFIED_V2_TASK) == []  # the email is still to come
    deliver_job(task, email_job)
    deliver_job(task, email_job)  # a copy changes nothing
    [row] = outbox_rows(WORKFLOW_NOTIFIED_V2_TASK)
    report = NotificationDeliveredV2.model_validate(row.payload)
    assert report.notification_id == msg.message_id
    assert sorted((o.channel.value, o.status) for o in report.outcomes) == [
        ("app", "sent"),
        ("email", "sent"),
    ]


def test_a_channel_failed_for_good_is_reported_without_waiting_for_the_others(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    msg = notification(channels=(Channel.EMAIL, Channel.SMS, Channel.APP), email=None)
    fan_out(msg)
    jobs = dict(channel_jobs(msg))
    deliver_job(DELIVER_EMAIL_TASK, jobs[DELIVER_EMAIL_TASK])  # no address: failed for good
    # Reported at once, the SMS still pending: with what has settled (the app, in the fan-out).
    assert [(r.channel.value, r.status) for r in reported_outcomes()] == [
        ("email", "failed"),
        ("app", "sent"),
    ]
    assert [d.status for d in deliveries() if d.channel == "sms"] == ["pending"]
