"""The notifier's side of personal data erasure (UU 27/2022): when the workflow's
ComplaintErasedV1 arrives, every notification of the code loses its recipient, link and texts,
every delivery its address, every attempt the server's answer (which quotes the address); the
published outbox rows and failed messages of the code are erased; kinds, channels, statuses,
counts and times stay. Twice is once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from services.notifier.database import get_db
from services.notifier.models import Delivery, DeliveryAttempt, Notification
from services.notifier.tasks import erase_notifications
from shared.database.shared_tables import OutboxMessage
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    ERASED_MARKER,
    NOTIFIER_ERASE_TASK,
    Channel,
    ComplaintErasedV1,
    ErasureReason,
)
from tests.notifier.conftest import ANSWER, channel_jobs, deliver_job, fan_out, notification
from tests.support.text_search import places_holding
from tools.harness.smtp import GONE, RefusingInbox

CODE = "PGD-2026-0042"
ERASED_AT = datetime(2028, 12, 20, 9, 0, tzinfo=UTC)


def erase() -> str:
    message = ComplaintErasedV1(
        tracking_code=CODE, reason=ErasureReason.REQUEST, erased_at=ERASED_AT
    )
    return consume_once(get_db(), NOTIFIER_ERASE_TASK, message, erase_notifications)


def figures() -> list[Any]:
    with get_db().sessions() as session:
        return [
            *(
                (n.kind, tuple(n.channels), n.created_at)
                for n in session.scalars(select(Notification).order_by(Notification.created_at))
            ),
            *(
                (d.kind, d.channel, d.status, d.attempts, d.created_at, d.sent_at)
                for d in session.scalars(select(Delivery).order_by(Delivery.id))
            ),
            *(
                (a.channel, a.attempt, a.outcome, a.occurred_at)
                for a in session.scalars(select(DeliveryAttempt).order_by(DeliveryAttempt.id))
            ),
        ]


def test_the_workflows_erasure_leaves_nothing_personal_in_the_notifier(
    configured: dict[str, str], refusing_smtp: RefusingInbox
) -> None:
    msg = notification(channels=(Channel.EMAIL,), email=GONE)
    fan_out(msg)
    for task, job in channel_jobs(msg):
        deliver_job(task, job)
    other = notification(code="PGD-2026-0099")
    fan_out(other)
    with get_db().transaction() as session:
        session.execute(update(OutboxMessage).values(published_at=ERASED_AT))
    personal = (GONE, "Siti Aminah", "81234567890", ANSWER, "Izin usaha belum terbit")
    assert places_holding(get_db().url, personal)
    before = figures()

    assert erase() == "applied"

    with get_db().sessions() as session:
        mine = session.scalars(select(Notification).where(Notification.tracking_code == CODE))
        for n in mine:
            assert (n.recipient, n.access_link) == (None, None)
            assert n.subject == n.answer == ERASED_MARKER
        kept = session.scalar(select(Notification).where(Notification.tracking_code != CODE))
        assert kept is not None and kept.answer == ANSWER  # another complaint's: untouched
        mine_tried = DeliveryAttempt.notification_id == str(msg.message_id)
        [attempt] = session.scalars(select(DeliveryAttempt).where(mine_tried)).all()
        assert attempt.detail == ERASED_MARKER
    assert figures() == before
    # Only the other complaint's copy holds these words still.
    left = places_holding(get_db().url, personal)
    assert left and all(place.startswith(("notifications.", "outbox.payload")) for place in left), (
        left
    )
    # Twice is once.
    assert erase() == "applied"
    assert figures() == before
