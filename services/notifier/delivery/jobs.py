"""The channel messages a notification is delivered by: which channels it goes out on, and the
one message per channel (and re-send) that delivers it there, with a derived id so every sender
of the same delivery sends the same message (the outbox then adds it once)."""

from __future__ import annotations

import uuid

from services.notifier.channels.registry import ROUTES, delivery_key
from shared.messaging.contracts import Channel, ChannelDeliveryV1, NotificationRequestedV1

CHANNEL_NAMESPACE = uuid.UUID("0c9e6f4a-2d17-4b8e-b3a5-71d2e8f04c63")


def routed_channels(msg: NotificationRequestedV1) -> tuple[Channel, ...]:
    """The channels ``msg`` goes out on: those with a route, a channel listed twice once; for an
    anonymous complainant (no recipient) the app channel only, the one that needs no contact."""
    return tuple(
        c
        for c in dict.fromkeys(msg.channels)
        if c in ROUTES and (msg.recipient is not None or c is Channel.APP)
    )


def channel_job(
    notification_id: uuid.UUID, channel: Channel, resends: int = 0
) -> ChannelDeliveryV1:
    """The message that delivers a notification on a channel (or its ``resends``-th re-send):
    its id is derived, so every sender of the same delivery sends the same message."""
    key = delivery_key(notification_id, channel)
    if resends:
        key += f":resend-{resends}"
    return ChannelDeliveryV1(
        message_id=uuid.uuid5(CHANNEL_NAMESPACE, key),
        notification_id=notification_id,
        channel=channel,
    )
