"""The notifier's copy of a complaint's personal data, erased when the workflow says so
(``ComplaintErasedV1``): every notification of the code (to the complainant and to staff)
loses its recipient and one-time link (null) and its subject, answer and note (the marker);
every delivery its recipient address (null) and its detail, every attempt its detail (the
server's answer may quote the address) (the marker); the published outbox rows and the failed
messages naming the code are erased too. Kept: kinds, channels, statuses, counts and times, for
the delivery figures. Each UPDATE sets what it sets, so a second message changes nothing."""

from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.notifier.models import Delivery, DeliveryAttempt, Notification
from shared.messaging.contracts import ERASED_MARKER, ComplaintErasedV1
from shared.messaging.erasure import erase_messages_of

log = logging.getLogger(__name__)


def erase_notifications(session: Session, msg: ComplaintErasedV1) -> None:
    code = msg.tracking_code
    notifications = session.execute(
        update(Notification)
        .where(Notification.tracking_code == code)
        .values(recipient=None, subject=ERASED_MARKER, access_link=None)
        .execution_options(synchronize_session=False)
    )
    for column in (Notification.answer, Notification.note):
        session.execute(
            update(Notification)
            .where(Notification.tracking_code == code, column.is_not(None))
            .values({column.key: ERASED_MARKER})
            .execution_options(synchronize_session=False)
        )
    session.execute(
        update(Delivery)
        .where(Delivery.tracking_code == code)
        .values(recipient=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Delivery)
        .where(Delivery.tracking_code == code, Delivery.detail.is_not(None))
        .values(detail=ERASED_MARKER)
        .execution_options(synchronize_session=False)
    )
    of_code = select(Notification.message_id).where(Notification.tracking_code == code)
    session.execute(
        update(DeliveryAttempt)
        .where(DeliveryAttempt.notification_id.in_(of_code), DeliveryAttempt.detail.is_not(None))
        .values(detail=ERASED_MARKER)
        .execution_options(synchronize_session=False)
    )
    erase_messages_of(session, code)
    log.info(
        "notifications of %s: personal data erased (%s notifications, %s)",
        code,
        notifications.rowcount,  # type: ignore[attr-defined]
        msg.reason.value,
    )
