"""The delivery sweep: queue again each delivery whose retry the broker lost.

A channel's retry is a Celery message of its own (``self.retry``), not an outbox row, so the
outbox's second copy does not cover it; kombu's Redis transport can lose it between popping it
and recording it as unacknowledged (see ``shared.outbox``). Such a delivery stays "retrying"
with no further try. The sweep finds those with no try for ``delivery_stale_seconds`` and sends
their channel's message again through the outbox. A retry still under way tries at least every
60 s (the backoff cap), so it is never taken for lost; and a copy that does run beside one
finds the delivery claimed or sent (``delivery.claim_delivery``), so nothing goes out twice.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from services.notifier.channels import ROUTES
from services.notifier.delivery import channel_job
from services.notifier.models import Delivery, DeliveryAttempt, DeliveryStatus
from shared.contracts import Channel
from shared.outbox import requeue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepResult:
    requeued: list[str]  # "<tracking code> <channel>" of each delivery sent again


def stale_retries(session: Session, cutoff: datetime) -> list[Delivery]:
    """Deliveries still retrying whose last try was before ``cutoff``."""
    last_try = (
        select(
            DeliveryAttempt.notification_id,
            DeliveryAttempt.channel,
            func.max(DeliveryAttempt.occurred_at).label("at"),
        )
        .group_by(DeliveryAttempt.notification_id, DeliveryAttempt.channel)
        .subquery()
    )
    return list(
        session.scalars(
            select(Delivery)
            .join(
                last_try,
                and_(
                    last_try.c.notification_id == Delivery.message_id,
                    last_try.c.channel == Delivery.channel,
                ),
            )
            .where(Delivery.status == DeliveryStatus.RETRYING, last_try.c.at < cutoff)
            .order_by(Delivery.id)
        )
    )


def sweep_stale(session: Session, cutoff: datetime) -> SweepResult:
    """Send again the channel message of every retry lost before ``cutoff``. Its outbox row is
    reset only if it was published before ``cutoff`` too, so a sweep that runs again before the
    message has been tried sends nothing more."""
    requeued = []
    for delivery in stale_retries(session, cutoff):
        channel = Channel(delivery.channel)
        job = channel_job(uuid.UUID(delivery.message_id), channel, delivery.resends)
        if requeue(session, ROUTES[channel].task, job, published_before=cutoff):
            requeued.append(f"{delivery.tracking_code} {channel}")
            log.warning(
                "%s on %s for %s: its retry was lost (no try since before %s): queued again",
                delivery.kind,
                channel,
                delivery.tracking_code,
                cutoff.isoformat(timespec="seconds"),
            )
    session.flush()
    return SweepResult(requeued=requeued)
