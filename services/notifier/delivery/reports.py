"""The case's record in the workflow hears of a notification's deliveries: one report per
notification, not one per channel (``NotificationDeliveredV2``)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notifier.delivery.jobs import routed_channels
from services.notifier.models import Delivery, DeliveryStatus, Notification
from shared.messaging.contracts import (
    UNRECORDED_KINDS,
    WORKFLOW_NOTIFIED_V2_TASK,
    Channel,
    ChannelOutcomeV2,
    NotificationDeliveredV2,
    NotificationRequestedV1,
)
from shared.messaging.outbox import enqueue_once

# A report's id is derived from the notification and the outcomes it carries (uuid5).
DELIVERED_NAMESPACE = uuid.UUID("a3d7c0b2-45e1-4f0a-8c52-0e6b9d1f7a24")
FINAL = (DeliveryStatus.SENT, DeliveryStatus.FAILED)


def tell_workflow(session: Session, msg: NotificationRequestedV1, delivery: Delivery) -> None:
    """Put the outcomes on the case's record in the workflow: one report per notification, once
    every channel tried for it (the chosen ones with a route, and the fallbacks) has settled,
    or at once when ``delivery`` failed for good, so the operators' list never waits on a
    channel still retrying. The report carries every settled channel; its id is derived from
    their outcomes, so a rerun finds the outbox row, and the workflow records each outcome once.
    Staff notifications and access links are not the case's record: they stay here.

    The notice's row is locked first: two channels settling at the same moment would otherwise
    each see the other still trying, and neither would report."""
    if msg.kind in UNRECORDED_KINDS or delivery.status not in FINAL:
        return
    session.get(Notification, str(msg.message_id), with_for_update=True)
    deliveries = {
        d.channel: d
        for d in session.scalars(select(Delivery).where(Delivery.message_id == str(msg.message_id)))
    }
    tried = [c.value for c in routed_channels(msg)] + [
        d.channel for d in deliveries.values() if d.fallback
    ]
    unsettled = [c for c in tried if c not in deliveries or deliveries[c].status not in FINAL]
    if unsettled and delivery.status != DeliveryStatus.FAILED:
        return  # the last channel to settle reports them all
    settled = sorted(
        (d for d in deliveries.values() if d.status in FINAL), key=lambda d: (d.created_at, d.id)
    )
    key = ";".join(f"{d.channel}:{d.status}:{d.attempts}:{d.resends}" for d in settled)
    reported = NotificationDeliveredV2(
        message_id=uuid.uuid5(DELIVERED_NAMESPACE, f"{msg.message_id}:{key}"),
        tracking_code=msg.tracking_code,
        kind=msg.kind,
        notification_id=msg.message_id,
        outcomes=tuple(
            ChannelOutcomeV2(
                channel=Channel(d.channel),
                status=d.status,
                detail=d.detail,
                attempts=d.attempts,
                fallback=d.fallback,
            )
            for d in settled
        ),
    )
    enqueue_once(session, WORKFLOW_NOTIFIED_V2_TASK, reported)
