"""Delivering a notification to the complainant, once per channel, and telling intake the answer
went out. Plain functions taking a ``Session``: they flush, the task's transaction commits."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notifier.mail import EmailSender, PermanentMailError, build_email, message_id_for
from services.notifier.messages import check_complete, compose
from services.notifier.models import Delivery, DeliveryStatus
from shared.contracts import (
    INTAKE_ANSWERED_TASK,
    WORKFLOW_NOTIFIED_TASK,
    Channel,
    ComplaintAnsweredV1,
    NotificationDeliveredV1,
    NotificationKind,
    NotificationRequestedV1,
    Reporter,
)
from shared.db import utcnow
from shared.outbox import OutboxMessage, enqueue
from shared.settings import get_settings

log = logging.getLogger(__name__)

# The ComplaintAnsweredV1 sent for a notification has an id derived from the notification's: a
# second run for the same notification finds that outbox row and adds none.
ANSWERED_NAMESPACE = uuid.UUID("5f0c3c1e-7b52-4d8e-9a51-3f1f2a7c9d10")
DELIVERED_NAMESPACE = uuid.UUID("a3d7c0b2-45e1-4f0a-8c52-0e6b9d1f7a24")

# Errors after which another try of the same channel cannot succeed: the delivery is recorded as
# failed, with the reason. Each channel's transport adds its own.
REFUSALS: tuple[type[Exception], ...] = (PermanentMailError,)


@dataclass(frozen=True)
class ChannelRoute:
    """How one channel reaches the complainant: their address on it, and the send itself."""

    address: Callable[[Reporter], str | None]
    send: Callable[[NotificationRequestedV1, str, EmailSender], None]
    missing_address: str  # the detail recorded when the reporter gave no address for it


def _send_email(msg: NotificationRequestedV1, address: str, sender: EmailSender) -> None:
    settings = get_settings()
    content = compose(msg, intake_url=settings.public_intake_url)
    sender.send(
        build_email(
            mail_from=settings.mail_from,
            to_name=msg.recipient.name,
            to_address=address,
            subject=content.subject,
            body=content.body,
            message_id=message_id_for(msg.message_id, Channel.EMAIL, settings.mail_from),
        )
    )


# Channel -> how to deliver on it. Only email so far: SMS and the app channel come in a later
# issue. A channel without a route is skipped and nothing is recorded for it, so once its route
# exists nothing here claims it was handled. (The app channel is the tracking page, which intake
# updates from the ComplaintAnsweredV1 that every answer sends, whatever the channels.)
# All channels share the task's one transaction. Once a second route can fail transiently (SMS),
# its retry would resend an email whose record rolled back with it: give each channel its own
# task (or transaction) then.
ROUTES: dict[Channel, ChannelRoute] = {
    Channel.EMAIL: ChannelRoute(
        address=lambda reporter: reporter.email,
        send=_send_email,
        missing_address="pengadu tidak memberikan alamat email",
    ),
}


def deliver(
    session: Session, msg: NotificationRequestedV1, sender: EmailSender, *, attempt: int = 1
) -> list[Delivery]:
    """Deliver ``msg`` on each of its channels that has a route, skipping those already sent.

    ``attempt`` is the task's try (1 for the first), kept in the record. Transient failures
    propagate so the task retries; the transaction then rolls back every record and outbox row.
    """
    check_complete(msg)
    deliveries = [
        deliver_on(session, msg, channel, ROUTES[channel], sender, attempt=attempt)
        for channel in dict.fromkeys(msg.channels)  # a channel listed twice is one delivery
        if channel in ROUTES
    ]
    for delivery in deliveries:
        tell_workflow(session, msg, delivery)
    if msg.kind is NotificationKind.ANSWER:
        tell_intake_answered(session, msg, answered_at=utcnow())
    return deliveries


def tell_workflow(session: Session, msg: NotificationRequestedV1, delivery: Delivery) -> None:
    """Put the delivery on the case's record in the workflow; once per delivery (its message id
    is derived from the notification and channel, so a rerun finds the outbox row)."""
    reported = NotificationDeliveredV1(
        message_id=uuid.uuid5(DELIVERED_NAMESPACE, f"{msg.message_id}:{delivery.channel}"),
        tracking_code=msg.tracking_code,
        kind=msg.kind,
        channel=Channel(delivery.channel),
        status=delivery.status,
        detail=delivery.detail,
    )
    if session.get(OutboxMessage, str(reported.message_id)) is None:
        enqueue(session, WORKFLOW_NOTIFIED_TASK, reported)


def deliver_on(
    session: Session,
    msg: NotificationRequestedV1,
    channel: Channel,
    route: ChannelRoute,
    sender: EmailSender,
    *,
    attempt: int = 1,
) -> Delivery:
    """Send ``msg`` on ``channel`` unless the record says it was sent, and record the outcome."""
    delivery = find_delivery(session, msg.message_id, channel)
    if delivery is not None and delivery.status == DeliveryStatus.SENT:
        log.info("%s on %s for %s already sent", msg.kind, channel, msg.tracking_code)
        return delivery
    address = route.address(msg.recipient)
    delivery = _claim(session, msg, channel, address=address, delivery=delivery, attempt=attempt)
    if address is None:
        return _record_failure(session, delivery, route.missing_address)
    try:
        route.send(msg, address, sender)
    except REFUSALS as exc:
        return _record_failure(session, delivery, str(exc))
    delivery.status = DeliveryStatus.SENT
    delivery.detail = None
    delivery.sent_at = utcnow()
    session.flush()
    log.info("%s on %s for %s sent", msg.kind, channel, msg.tracking_code)
    return delivery


def _claim(
    session: Session,
    msg: NotificationRequestedV1,
    channel: Channel,
    *,
    address: str | None,
    delivery: Delivery | None,
    attempt: int,
) -> Delivery:
    """Write the record before sending: UNIQUE(message_id, channel) makes a concurrent delivery
    of the same message wait for this transaction and then fail, instead of sending as well."""
    if delivery is None:
        delivery = Delivery(
            message_id=str(msg.message_id),
            kind=msg.kind.value,
            tracking_code=msg.tracking_code,
            channel=channel.value,
            attempts=0,
            created_at=utcnow(),
        )
        session.add(delivery)
    delivery.recipient = address
    delivery.status = DeliveryStatus.SENDING
    delivery.attempts += attempt
    session.flush()
    return delivery


def _record_failure(session: Session, delivery: Delivery, detail: str) -> Delivery:
    delivery.status = DeliveryStatus.FAILED
    delivery.detail = detail
    session.flush()
    log.warning(
        "%s on %s for %s failed for good: %s",
        delivery.kind,
        delivery.channel,
        delivery.tracking_code,
        detail,
    )
    return delivery


def tell_intake_answered(
    session: Session, msg: NotificationRequestedV1, *, answered_at: datetime
) -> ComplaintAnsweredV1:
    """Hand the answer to intake (through the outbox), so the tracking page shows it; once per
    notification, however often this runs for it."""
    answered = ComplaintAnsweredV1(
        message_id=uuid.uuid5(ANSWERED_NAMESPACE, str(msg.message_id)),
        tracking_code=msg.tracking_code,
        answer=msg.answer or "",  # never empty: deliver() checked it
        answered_at=answered_at,
    )
    if session.get(OutboxMessage, str(answered.message_id)) is None:
        enqueue(session, INTAKE_ANSWERED_TASK, answered)
    return answered


def find_delivery(session: Session, message_id: uuid.UUID, channel: Channel) -> Delivery | None:
    return session.scalar(
        select(Delivery).where(
            Delivery.message_id == str(message_id), Delivery.channel == channel.value
        )
    )
