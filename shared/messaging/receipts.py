"""Receipts: a consumer's word, kept in the broker's Redis, that a message's effect is committed.

The outbox relay sends a row again only when no receipt for it is there at its redrive time
(``shared.messaging.relay.OutboxRelay.redrive_due``): the copy is for a message kombu popped but
never recorded as unacknowledged, and such a message never reached a consumer's commit, so never
left a receipt. A receipt is written only after the commit, so it never stands for an effect that
could still roll back. Both sides are best effort in one direction: a receipt that could not be
written, or that a Redis restarted without persistence forgot, costs one redundant copy, which
the consumer's inbox (``processed_messages``) drops.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from celery import Celery

from shared.runtime.settings import get_settings

log = logging.getLogger(__name__)

PREFIX = "pengaduan:receipt:"
# A receipt must outlive the redrive delay, plus the relay's lateness (a relay that was down
# longer only sends copies the inbox drops).
MARGIN_SECONDS = 600


def key(message_id: str) -> str:
    return PREFIX + message_id


def lifetime(redrive_seconds: float) -> int:
    """How long a receipt is kept: twice the redrive delay and ten minutes more."""
    return int(2 * redrive_seconds) + MARGIN_SECONDS


def confirm(app: Celery, message_id: str) -> None:
    """A consumer committed ``message_id``'s effect (or found it committed): say so, over the
    broker connection the worker publishes with (kombu's client: a Sentinel broker too). Never
    fails the task whose effect is committed already."""
    ttl = lifetime(get_settings().outbox.redrive_seconds)
    try:
        with app.producer_or_acquire() as producer, producer.channel.conn_or_acquire() as client:
            client.set(key(message_id), b"1", ex=ttl)
    except Exception:  # a receipt is only a saving: without it the copy goes, and is dropped
        log.warning("receipt for %s not written: its copy will be sent", message_id)


def confirm_all(app: Celery, message_ids: Sequence[str]) -> None:
    """``confirm`` for each of ``message_ids`` (a batch's items), in one round trip."""
    ttl = lifetime(get_settings().outbox.redrive_seconds)
    try:
        with app.producer_or_acquire() as producer, producer.channel.conn_or_acquire() as client:
            pipe = client.pipeline(transaction=False)
            for message_id in message_ids:
                pipe.set(key(message_id), b"1", ex=ttl)
            pipe.execute()
    except Exception:  # as ``confirm``: without them the copies go, and are dropped
        log.warning(
            "receipts for %d messages not written: their copies will be sent", len(message_ids)
        )


def unconfirmed(client: Any, message_ids: Sequence[str]) -> list[str]:
    """The ids among ``message_ids`` no consumer has confirmed, in one round trip on ``client``
    (a Redis client of the broker). Raises when Redis cannot be asked: the relay then gives the
    rows back for its next pass."""
    if not message_ids:
        return []
    found = client.mget([key(message_id) for message_id in message_ids])
    return [message_id for message_id, mark in zip(message_ids, found, strict=True) if not mark]
