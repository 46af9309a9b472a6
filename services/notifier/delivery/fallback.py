"""Fallback across the complainant's contacts: when every channel they chose failed for good
(a hard bounce, the SMS gateway's or WhatsApp's refusal, retries used up), the notice is tried
on their other contacts in a fixed order, email, then SMS, then WhatsApp: only channels not
tried yet, only where the contact exists (an email address, a phone number) and only channels
the office set up; once each, one at a time, stopping at the first that gets through. Only
when those fail too is intake told that the notice reached the complainant on no channel.

Each fallback is a ``Delivery`` marked ``fallback``, written with the decision in the failing
channel's transaction (UNIQUE(message_id, channel) and the notification's row lock): a rerun,
a redelivered message or a killed worker's retry finds the channel taken and queues nothing
twice; its channel message has a derived id, so the outbox adds it once.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notifier.channels.registry import ROUTES
from services.notifier.delivery.jobs import channel_job, routed_channels
from services.notifier.delivery.undeliverable import tell_intake_if_undeliverable
from services.notifier.models import Delivery, DeliveryStatus, Notification
from shared.database.engine import utcnow
from shared.messaging.contracts import STAFF_KINDS, Channel, NotificationRequestedV1
from shared.messaging.outbox import enqueue_once
from shared.runtime.settings import get_settings

log = logging.getLogger(__name__)

FALLBACK_ORDER = (Channel.EMAIL, Channel.SMS, Channel.WHATSAPP)


def after_failure(session: Session, msg: NotificationRequestedV1) -> Delivery | None:
    """A delivery of ``msg`` failed for good: if no channel of it got through nor is still
    being tried, queue the next fallback (returned), or tell intake there is none left.

    The notice's row is locked first: two channels failing for good at the same moment would
    otherwise each see the other still trying, and neither would act (or both would)."""
    if msg.kind in STAFF_KINDS:  # staff notices are on the operators' list only
        return None
    session.get(Notification, str(msg.message_id), with_for_update=True)
    deliveries = {
        d.channel: d
        for d in session.scalars(select(Delivery).where(Delivery.message_id == str(msg.message_id)))
    }
    chosen = routed_channels(msg)
    if not chosen:
        return None
    tried = [*chosen, *(Channel(d.channel) for d in deliveries.values() if d.fallback)]
    settled = [deliveries.get(c.value) for c in tried]
    if any(d is None or d.status != DeliveryStatus.FAILED for d in settled):
        return None  # one got through, or is still being tried: its outcome decides
    channel = next_fallback(msg, tried=set(tried))
    if channel is None:
        tell_intake_if_undeliverable(session, msg, tuple(tried))
        return None
    return _queue_fallback(session, msg, channel)


def next_fallback(msg: NotificationRequestedV1, *, tried: set[Channel]) -> Channel | None:
    """The first channel in ``FALLBACK_ORDER`` not tried, with a contact, set up by the office."""
    if msg.recipient is None:  # an anonymous complainant: the app channel is their only one
        return None
    settings = get_settings()
    for channel in FALLBACK_ORDER:
        route = ROUTES[channel]
        if channel in tried or not route.configured(settings):
            continue
        if route.address(msg.recipient, msg.tracking_code) is not None:
            return channel
    return None


def _queue_fallback(session: Session, msg: NotificationRequestedV1, channel: Channel) -> Delivery:
    delivery = Delivery(
        message_id=str(msg.message_id),
        kind=msg.kind.value,
        tracking_code=msg.tracking_code,
        channel=channel.value,
        status=DeliveryStatus.PENDING,
        fallback=True,
        attempts=0,
        resends=0,
        created_at=utcnow(),
    )
    session.add(delivery)
    session.flush()  # the unique key: a concurrent decision for the same channel fails here
    enqueue_once(session, ROUTES[channel].task, channel_job(msg.message_id, channel))
    log.warning(
        "%s for %s reached none of the chosen channels: trying %s instead",
        msg.kind,
        msg.tracking_code,
        channel,
    )
    return delivery
