"""Fallback across the complainant's contacts, against the real parts: an SMTP server that
refuses a mailbox for good (550), the local SMS gateway and the local server playing the
WhatsApp Cloud API. When every chosen channel failed for good, the other contacts are tried in
the order email, SMS, WhatsApp, once each, stopping at the first that gets through; each try is
on the record as a fallback, and intake hears of an undeliverable notice only after the last."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from services.notifier.channels.sms import TransientSmsError
from services.notifier.database import get_db
from services.notifier.delivery.deliver import load_notification
from services.notifier.delivery.fallback import after_failure
from services.notifier.tasks import deliver_sms
from shared.messaging.contracts import (
    DELIVER_SMS_TASK,
    INTAKE_UNDELIVERABLE_TASK,
    Channel,
    NoticeUndeliverableV1,
    NotificationRequestedV1,
)
from tests.notifier.conftest import (
    channel_jobs,
    deliver_job,
    deliveries,
    fan_out,
    notification,
    outbox_rows,
    reported_outcomes,
)
from tools.harness.sms_gateway import GatewayServer
from tools.harness.smtp import GONE, RefusingInbox

REFUSED = 400


@pytest.fixture
def sms(setting: Any) -> Iterator[GatewayServer]:
    server = GatewayServer("json")
    server.start()
    setting("PENGADUAN_SMS_GATEWAY_URL", server.url)
    yield server
    server.stop()


@pytest.fixture
def whatsapp(setting: Any) -> Iterator[GatewayServer]:
    server = GatewayServer("whatsapp")
    server.start()
    setting("PENGADUAN_WHATSAPP_API_URL", server.base_url)
    setting("PENGADUAN_WHATSAPP_PHONE_NUMBER_ID", "106540352242922")
    setting("PENGADUAN_WHATSAPP_TOKEN", "rahasia-whatsapp")
    yield server
    server.stop()


def _email_only(email: str | None = GONE) -> NotificationRequestedV1:
    """A complainant who chose email only but gave a phone too (notification()'s)."""
    return notification(channels=(Channel.EMAIL,), email=email)


def drain(msg: NotificationRequestedV1) -> None:
    """Run every channel task queued for ``msg``, the fallbacks queued meanwhile too, each
    once, as the workers would."""
    done: set[uuid.UUID] = set()
    while new := [(t, j) for t, j in channel_jobs(msg) if j.message_id not in done]:
        for task, job in new:
            done.add(job.message_id)
            deliver_job(task, job)


def tried() -> list[tuple[str, str, bool]]:
    return [(d.channel, d.status, d.fallback) for d in deliveries()]


def reported() -> list[tuple[str, str, bool]]:
    return [(m.channel.value, m.status, m.fallback) for m in reported_outcomes()]


def told_intake() -> list[NoticeUndeliverableV1]:
    return [
        NoticeUndeliverableV1.model_validate(r.payload)
        for r in outbox_rows(INTAKE_UNDELIVERABLE_TASK)
    ]


def test_an_email_refused_for_good_arrives_by_sms_instead(
    refusing_smtp: RefusingInbox, sms: GatewayServer, whatsapp: GatewayServer
) -> None:
    msg = _email_only()
    fan_out(msg)
    drain(msg)
    drain(msg)  # every message again, as a redelivery would: nothing more goes out

    assert refusing_smtp.rcpt_attempts == [GONE]
    [text] = sms.requests
    assert text["to"] == "+6281234567890"
    assert text["message"].startswith(f"Jawaban pengaduan {msg.tracking_code}: ")
    assert whatsapp.requests == []  # stopped at the first that got through
    assert tried() == [("email", "failed", False), ("sms", "sent", True)]
    assert sorted(reported()) == [("email", "failed", False), ("sms", "sent", True)]
    assert told_intake() == []  # it did reach the complainant


def test_every_contact_is_tried_once_in_order_before_intake_is_told(
    refusing_smtp: RefusingInbox, sms: GatewayServer, whatsapp: GatewayServer
) -> None:
    sms.answer_with(REFUSED)
    whatsapp.answer_with(REFUSED)
    msg = notification(channels=(Channel.WHATSAPP,), email=GONE)
    fan_out(msg)
    drain(msg)
    drain(msg)

    # WhatsApp was chosen and failed; then email, then SMS, each once.
    assert tried() == [
        ("whatsapp", "failed", False),
        ("email", "failed", True),
        ("sms", "failed", True),
    ]
    assert (len(whatsapp.requests), len(sms.requests)) == (1, 1)
    assert refusing_smtp.rcpt_attempts == [GONE]
    [told] = told_intake()
    assert told.channels == (Channel.WHATSAPP, Channel.EMAIL, Channel.SMS)


def test_only_channels_set_up_and_contacts_given_are_tried(
    refusing_smtp: RefusingInbox, whatsapp: GatewayServer
) -> None:
    # No SMS gateway: the email refused goes to WhatsApp straight away.
    msg = _email_only()
    fan_out(msg)
    drain(msg)
    assert tried() == [("email", "failed", False), ("whatsapp", "sent", True)]
    assert whatsapp.requests[0]["template"]["name"] == "pengaduan_jawaban"

    # A complainant who gave no phone: nothing to fall back to, intake is told.
    lone = notification(channels=(Channel.EMAIL,), email=GONE, code="PGD-2026-0043")
    lone = lone.model_copy(update={"recipient": lone.recipient.model_copy(update={"phone": None})})
    fan_out(lone)
    drain(lone)
    assert len(whatsapp.requests) == 1
    [told] = told_intake()
    assert (told.tracking_code, told.channels) == ("PGD-2026-0043", (Channel.EMAIL,))


def test_retries_used_up_fall_back_too(
    refusing_smtp: RefusingInbox, sms: GatewayServer, setting: Any
) -> None:
    msg = notification(channels=(Channel.SMS,))  # a good mailbox, not chosen
    fan_out(msg)
    [(task, job)] = channel_jobs(msg)
    sms.answer_with(503)
    with pytest.raises(TransientSmsError):
        deliver_job(task, job)
    assert task == DELIVER_SMS_TASK
    kwargs = {"message": job.model_dump(mode="json")}
    for _ in range(2):  # the hook run twice (a redelivered failure) queues one fallback
        deliver_sms.give_up(kwargs["message"], TransientSmsError("gateway mati"))
    drain(msg)

    assert tried() == [("sms", "failed", False), ("email", "sent", True)]
    assert len(refusing_smtp.to(msg.recipient.email or "")) == 1
    assert told_intake() == []


def test_the_decision_rerun_queues_no_second_fallback(
    refusing_smtp: RefusingInbox, sms: GatewayServer
) -> None:
    msg = _email_only()
    fan_out(msg)
    [(task, job)] = channel_jobs(msg)
    deliver_job(task, job)  # refused: the SMS fallback is queued with the refusal
    assert tried() == [("email", "failed", False), ("sms", "pending", True)]

    for _ in range(2):  # a killed worker's rerun, a redelivered message
        with get_db().transaction() as session:
            assert after_failure(session, load_notification(session, msg.message_id)) is None
    assert len(outbox_rows(DELIVER_SMS_TASK)) == 1
    drain(msg)
    assert len(sms.requests) == 1
    assert tried() == [("email", "failed", False), ("sms", "sent", True)]
