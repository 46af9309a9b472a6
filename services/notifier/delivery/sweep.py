"""The delivery sweep: queue again each delivery whose retry the broker lost.

A channel's retry is a Celery message of its own (``self.retry``), not an outbox row, so the
outbox's second copy does not cover it; kombu's Redis transport can lose it between popping it
and recording it as unacknowledged (see ``shared.messaging.relay``).
Such a delivery stays "retrying"
with no further try. The sweep finds those with no try for ``delivery_stale_seconds`` and sends
their channel's message again through the outbox. A retry still under way tries at least every
60 s (the backoff cap), so it is never taken for lost; and a copy that does run beside one
finds the delivery claimed or sent (``delivery.claim_delivery``), so nothing goes out twice.

The same goes for a channel whose first try never came: the fan-out's redelivery (after a
worker died mid-way) was lost too, and its delivery record stayed pending, untried, since before
the cutoff. The sweep queues its channel's task, which makes the try.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Exists, exists, select
from sqlalchemy.orm import Session

from services.notifier.channels.registry import ROUTES
from services.notifier.delivery.jobs import channel_job
from services.notifier.models import Delivery, DeliveryAttempt, DeliveryStatus
from shared.messaging.contracts import Channel
from shared.messaging.outbox import requeue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepResult:
    requeued: list[str]  # "<tracking code> <channel>" of each delivery sent again


def _tries(*since: Any) -> Exists:
    """A delivery's tries (those matching ``since``), looked up by their indexed notification
    id, so a minute's sweep does not aggregate the whole, ever-growing history of tries."""
    return exists().where(
        DeliveryAttempt.notification_id == Delivery.message_id,
        DeliveryAttempt.channel == Delivery.channel,
        *since,
    )


def _deliveries(session: Session, *where: Any) -> list[Delivery]:
    return list(session.scalars(select(Delivery).where(*where).order_by(Delivery.id)))


def stale_retries(session: Session, cutoff: datetime) -> list[Delivery]:
    """Deliveries still retrying whose last try was before ``cutoff``: tried at least once,
    and not since."""
    return _deliveries(
        session,
        Delivery.status == DeliveryStatus.RETRYING,
        _tries(),
        ~_tries(DeliveryAttempt.occurred_at >= cutoff),
    )


def lost_first_tries(session: Session, cutoff: datetime) -> list[Delivery]:
    """Chosen channels written before ``cutoff`` and never tried since (``first_try``)."""
    return _deliveries(
        session,
        Delivery.status == DeliveryStatus.PENDING,
        Delivery.fallback.is_(False),
        Delivery.created_at < cutoff,
        ~_tries(),
    )


def sweep_stale(session: Session, cutoff: datetime) -> SweepResult:
    """Send again the channel message of every retry lost before ``cutoff``. Its outbox row is
    reset only if it was published before ``cutoff`` too, so a sweep that runs again before the
    message has been tried sends nothing more."""
    requeued = []
    for delivery in [*stale_retries(session, cutoff), *lost_first_tries(session, cutoff)]:
        channel = Channel(delivery.channel)
        job = channel_job(uuid.UUID(delivery.message_id), channel, delivery.resends)
        if requeue(session, ROUTES[channel].task, job, published_before=cutoff):
            requeued.append(f"{delivery.tracking_code} {channel}")
            log.warning(
                "%s on %s for %s: its try was lost (none since before %s): queued again",
                delivery.kind,
                channel,
                delivery.tracking_code,
                cutoff.isoformat(timespec="seconds"),
            )
    session.flush()
    return SweepResult(requeued=requeued)
