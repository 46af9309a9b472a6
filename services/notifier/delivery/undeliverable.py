"""Telling intake that a notice reached the complainant on none of their channels, and that it
did after all when an operator's re-send got through.

A channel that failed for good is on the operators' list of failed deliveries; the complainant
hears of nothing, unless another channel of the same notice got through. When the last of a
notice's channels fails for good, its other contacts are tried first (``fallback``); when
those fail too, intake is told (``NoticeUndeliverableV1``), so the tracking page says so and
what to do. A single failed channel beside a sent one tells intake nothing.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notifier.models import Delivery, DeliveryStatus, Notification
from shared.messaging.contracts import (
    INTAKE_DELIVERED_TASK,
    INTAKE_UNDELIVERABLE_TASK,
    UNRECORDED_KINDS,
    Channel,
    NoticeDeliveredV1,
    NoticeUndeliverableV1,
    NotificationRequestedV1,
)
from shared.messaging.outbox import enqueue_once

UNDELIVERABLE_NAMESPACE = uuid.UUID("d41e7a90-6c2b-4f35-8e0d-93b5a7c21f48")
DELIVERED_LATE_NAMESPACE = uuid.UUID("8b6f2d15-3e94-4c07-a1d8-5f0e7c9b2a63")


def tell_intake_if_undeliverable(
    session: Session, msg: NotificationRequestedV1, channels: tuple[Channel, ...]
) -> NoticeUndeliverableV1 | None:
    """Queue the message to intake if every one of ``channels`` (the notice's channels that
    have a route) failed for good. Once per round of failures: the id is derived from the
    notice and its re-sends, so a rerun finds the outbox row, while a re-send that fails again
    is told anew.

    The notice's row is locked first: two channels failing for good at the same moment would
    otherwise each see the other still trying, and neither would tell."""
    if msg.kind in UNRECORDED_KINDS or not channels:
        return None
    session.get(Notification, str(msg.message_id), with_for_update=True)
    deliveries = {
        d.channel: d
        for d in session.scalars(select(Delivery).where(Delivery.message_id == str(msg.message_id)))
    }
    settled = [deliveries.get(c.value) for c in channels]
    failed = [d for d in settled if d is not None and d.status == DeliveryStatus.FAILED]
    if len(failed) != len(channels):
        return None
    resends = sum(d.resends for d in failed)
    notice = NoticeUndeliverableV1(
        message_id=uuid.uuid5(UNDELIVERABLE_NAMESPACE, f"{msg.message_id}:resends-{resends}"),
        tracking_code=msg.tracking_code,
        notification_id=msg.message_id,
        kind=msg.kind,
        channels=channels,
    )
    enqueue_once(session, INTAKE_UNDELIVERABLE_TASK, notice)
    return notice


def tell_intake_delivered_after_all(
    session: Session, msg: NotificationRequestedV1, delivery: Delivery
) -> None:
    """A re-send got through: if intake was told the notice reached no channel, it stops saying
    so (intake ignores this for a notice it was never told of). Once per delivery and re-send."""
    if (
        msg.kind in UNRECORDED_KINDS
        or delivery.status != DeliveryStatus.SENT
        or not delivery.resends
    ):
        return
    key = f"{msg.message_id}:{delivery.channel}:resend-{delivery.resends}"
    delivered = NoticeDeliveredV1(
        message_id=uuid.uuid5(DELIVERED_LATE_NAMESPACE, key),
        tracking_code=msg.tracking_code,
        notification_id=msg.message_id,
        channel=Channel(delivery.channel),
    )
    enqueue_once(session, INTAKE_DELIVERED_TASK, delivered)
