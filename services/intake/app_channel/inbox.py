"""The complainant's in-app inbox: what the notifier sends on the app channel, kept for the
complainant to read, announced live, and queued for Web Push to each of their subscriptions.

Plain functions taking a ``Session``: they flush, the caller commits once.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.app_channel.live_events import Note, announce_after_commit
from services.intake.models import InboxMessage, PushSubscription
from services.intake.tracking.applied import complaint_for_message
from shared.database.engine import utcnow
from shared.messaging.contracts import INTAKE_PUSH_TASK, InboxMessageV1, PushDeliveryV1
from shared.messaging.outbox import enqueue

log = logging.getLogger(__name__)

# Push deliveries are named by (inbox message, subscription): a rerun queues none anew.
PUSH_NAMESPACE = uuid.UUID("6f1d3c64-1f7e-4d55-9a1e-2b8f0c7d4a11")


def deliver_to_inbox(session: Session, msg: InboxMessageV1) -> None:
    """Keep the message for its complaint and queue a push to every current subscription; the
    live event follows the commit."""
    complaint = complaint_for_message(session, msg.tracking_code, msg.message_id, InboxMessage)
    if complaint is None:
        return
    message = InboxMessage(
        complaint_id=complaint.id,
        message_id=str(msg.message_id),
        notification_id=str(msg.notification_id),
        kind=msg.kind.value,
        title=msg.title,
        body=msg.body,
        created_at=utcnow(),
    )
    session.add(message)
    session.flush()  # its id names the push deliveries and the live event
    for subscription_id in session.scalars(
        select(PushSubscription.id).where(PushSubscription.complaint_id == complaint.id)
    ):
        enqueue(
            session,
            INTAKE_PUSH_TASK,
            PushDeliveryV1(
                message_id=uuid.uuid5(PUSH_NAMESPACE, f"{message.id}:{subscription_id}"),
                inbox_message_id=message.id,
                subscription_id=subscription_id,
            ),
        )
    announce_after_commit(session, complaint.tracking_code, Note("message", message.id))
    log.info("inbox message %s kept for %s", message.id, complaint.tracking_code)


def messages_after(session: Session, complaint_id: str, after_id: int = 0) -> list[InboxMessage]:
    """The complaint's inbox messages newer than ``after_id``, oldest first."""
    return list(
        session.scalars(
            select(InboxMessage)
            .where(InboxMessage.complaint_id == complaint_id, InboxMessage.id > after_id)
            .order_by(InboxMessage.id)
        )
    )
