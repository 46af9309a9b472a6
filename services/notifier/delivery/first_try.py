"""The first try of each chosen channel, made by the fan-out task itself once the notification
and its pending delivery records are committed: a task per channel only for a retry.

Each channel's try is ``deliver_channel`` in a transaction of its own, as the channel's task
runs it: a channel that is down rolls back alone, is noted as retrying and handed to its task
(``retry_later``), which retries it with backoff; it never holds back or resends another
channel. A worker killed mid-way loses nothing: the broker redelivers the fan-out message, its
transaction is found applied, and this runs again for the channels still pending only; a
channel settled (or handed to its task) is not tried again. Should the redelivery itself be
lost, the delivery sweep queues each channel left pending (``sweep.lost_first_tries``).
"""

from __future__ import annotations

import logging

from services.notifier.channels.registry import ROUTES
from services.notifier.delivery.deliver import deliver_channel, retry_later, untried_channels
from services.notifier.delivery.jobs import channel_job
from shared.database.engine import ServiceDatabase
from shared.messaging.consumer import TRANSIENT_ERRORS
from shared.messaging.contracts import NOTIFY_TASK, NotificationRequestedV1
from shared.runtime.faults import checkpoint

log = logging.getLogger(__name__)


def first_tries(db: ServiceDatabase, msg: NotificationRequestedV1) -> None:
    """Try every channel of ``msg`` still pending, one after another, each in its own
    transaction; a channel whose try fails is left to its task."""
    with db.sessions() as session:
        channels = untried_channels(session, msg.message_id)
    for channel in channels:
        job = channel_job(msg.message_id, channel)
        try:
            with db.transaction() as session:
                deliver_channel(session, job)
        except Exception as exc:  # any failure: the channel's task takes over, with its retries
            if not isinstance(exc, TRANSIENT_ERRORS + ROUTES[channel].transient):
                log.exception("%s on %s: first try failed", msg.tracking_code, channel)
            with db.transaction() as session:
                retry_later(session, job, exc)
        checkpoint(f"{NOTIFY_TASK}:{channel.value}:after-commit")
