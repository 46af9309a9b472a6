"""A notice that failed for good on every channel the complainant chose is told to intake (the
tracking page says so); one channel failed beside one that got through tells intake nothing.
The complainants here gave no contact beyond the channels they chose, so no fallback is tried
(the fallback across contacts: test_fallback.py).

Failures come from the real parts: the local SMS gateway refusing (a 4xx is final) and the SMTP
server unreachable until the email task's retries are used up (its ``give_up``, called on the
real task as the worker calls it after the last try)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from services.notifier.channels.mail import TransientMailError
from services.notifier.database import get_db
from services.notifier.tasks import deliver_email, resend_delivery
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    DELIVER_EMAIL_TASK,
    DELIVER_SMS_TASK,
    INTAKE_DELIVERED_TASK,
    INTAKE_UNDELIVERABLE_TASK,
    RESEND_TASK,
    Channel,
    ChannelDeliveryV1,
    NoticeDeliveredV1,
    NoticeUndeliverableV1,
    NotificationKind,
    ResendRequestedV1,
)
from tests.notifier.conftest import (
    CITIZEN_EMAIL,
    channel_jobs,
    consume,
    deliver_job,
    deliveries,
    fan_out,
    notification,
    outbox_rows,
)
from tools.harness.redis_server import free_port
from tools.harness.sms_gateway import GatewayServer
from tools.harness.smtp import SmtpServer

REFUSED = 400  # the gateway refuses the number: no retry can help


@pytest.fixture
def gateway(setting: Any) -> Iterator[GatewayServer]:
    server = GatewayServer("json")
    server.start()
    setting("PENGADUAN_SMS_GATEWAY_URL", server.url)
    setting("PENGADUAN_SMS_GATEWAY_FORMAT", "json")
    setting("PENGADUAN_SMS_GATEWAY_TOKEN", "rahasia-gateway")
    yield server
    server.stop()


def told_intake() -> list[NoticeUndeliverableV1]:
    return [
        NoticeUndeliverableV1.model_validate(row.payload)
        for row in outbox_rows(INTAKE_UNDELIVERABLE_TASK)
    ]


def test_an_sms_only_notice_the_gateway_refuses_is_told_to_intake(
    gateway: GatewayServer,
) -> None:
    gateway.answer_with(REFUSED)
    msg = notification(NotificationKind.VERIFIED, channels=(Channel.SMS,), email=None)
    consume(msg)

    assert [d.status for d in deliveries()] == ["failed"]
    [told] = told_intake()
    assert (told.tracking_code, told.notification_id, told.kind, told.channels) == (
        msg.tracking_code,
        msg.message_id,
        NotificationKind.VERIFIED,
        (Channel.SMS,),
    )


def test_an_sms_refused_beside_an_email_sent_tells_intake_nothing(
    gateway: GatewayServer, smtp_server: SmtpServer
) -> None:
    gateway.answer_with(REFUSED)
    consume(notification(channels=(Channel.EMAIL, Channel.SMS)))

    assert sorted((d.channel, d.status) for d in deliveries()) == [
        ("email", "sent"),
        ("sms", "failed"),
    ]
    assert len(smtp_server.inbox.to(CITIZEN_EMAIL)) == 1
    assert told_intake() == []


def test_the_last_channel_giving_up_tells_intake_once(
    gateway: GatewayServer, smtp_server: SmtpServer, setting: Any
) -> None:
    gateway.answer_with(REFUSED)
    msg = notification(channels=(Channel.EMAIL, Channel.SMS))
    fan_out(msg)
    jobs = dict(channel_jobs(msg))
    deliver_job(DELIVER_SMS_TASK, jobs[DELIVER_SMS_TASK])
    assert told_intake() == []  # the email is still to be tried

    smtp_port = os.environ["PENGADUAN_SMTP_PORT"]
    setting("PENGADUAN_SMTP_PORT", str(free_port()))  # nothing listens there
    email = jobs[DELIVER_EMAIL_TASK]
    with pytest.raises(TransientMailError):
        deliver_job(DELIVER_EMAIL_TASK, email)
    assert told_intake() == []  # retrying is not failing for good
    setting("PENGADUAN_SMTP_PORT", smtp_port)

    kwargs = {"message": email.model_dump(mode="json")}
    for _ in range(2):  # the hook run twice (a redelivered failure) tells intake once
        deliver_email.give_up(kwargs["message"], TransientMailError("SMTP mati"))
    [told] = told_intake()
    assert told.channels == (Channel.EMAIL, Channel.SMS)
    assert smtp_server.inbox.to(CITIZEN_EMAIL) == []


def test_a_resend_that_gets_through_tells_intake_the_notice_arrived_after_all(
    gateway: GatewayServer,
) -> None:
    gateway.answer_with(REFUSED)
    msg = notification(NotificationKind.VERIFIED, channels=(Channel.SMS,), email=None)
    consume(msg)
    assert len(told_intake()) == 1
    assert outbox_rows(INTAKE_DELIVERED_TASK) == []

    request = ResendRequestedV1(
        notification_id=msg.message_id, channel=Channel.SMS, requested_by="admin1"
    )
    consume_once(get_db(), RESEND_TASK, request, resend_delivery)
    [again] = [
        ChannelDeliveryV1.model_validate(row.payload)
        for row in outbox_rows(DELIVER_SMS_TASK)  # the re-send's: the first try was the fan-out's
    ]
    deliver_job(DELIVER_SMS_TASK, again)  # the gateway takes it this time

    assert [d.status for d in deliveries()] == ["sent"]
    [row] = outbox_rows(INTAKE_DELIVERED_TASK)
    delivered = NoticeDeliveredV1.model_validate(row.payload)
    assert (delivered.notification_id, delivered.channel) == (msg.message_id, Channel.SMS)


def test_staff_notices_never_reach_the_complainants_page(configured: dict[str, str]) -> None:
    consume(notification(NotificationKind.WORKLIST_ARRIVAL, channels=(Channel.EMAIL,), email=None))
    assert [d.status for d in deliveries()] == ["failed"]
    assert told_intake() == []
