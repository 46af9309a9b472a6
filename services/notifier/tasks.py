"""The notifier's tasks: a fan-out per notification that makes each channel's first try, then a
task per channel for a channel that needs a retry.

``notifier.notification.send`` stores the NotificationRequestedV1 with a pending delivery record
per channel (and the app channel's hand-over to intake) in one transaction, then tries each
channel in a transaction of its own (``delivery.first_try``); a channel whose try fails for a
passing reason is queued (outbox) as ``notifier.deliver.<channel>``, carrying ids only, and
retries alone, never resending another channel's message. ``shared.messaging.consumer`` records
each message id with its effect, so once a transaction commits a redelivered message is skipped;
a redelivered fan-out still tries the channels left pending.

The remaining window, per channel: the SMTP server (or SMS gateway) accepted the message, then
this process died before the channel's transaction committed. The broker redelivers the message
(the fan-out, or the channel's task) and it goes out a second time: the email with the same
Message-ID header, the SMS with the same idempotency key (a gateway that honours it drops the
repeat). At-least-once was chosen there on purpose: neither SMTP nor a gateway without
idempotency can answer "did you already take this?", and recording "sending" in a transaction
of its own before the send turns the same crash into a message possibly never sent and never
retried. Reading the answer twice is better than never reading it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.orm import Session

from services.notifier.channels.registry import ROUTES
from services.notifier.database import get_db
from services.notifier.delivery.deliver import (
    NothingToResend,
    deliver_channel,
    fan_out,
    record_given_up,
    record_retry,
    resend,
)
from services.notifier.delivery.first_try import first_tries
from services.notifier.delivery.sweep import sweep_stale
from services.notifier.privacy.erasure import erase_notifications
from shared.database.availability import skipped_while_away
from shared.database.engine import utcnow
from shared.messaging.celery_app import get_celery
from shared.messaging.consumer import TaskOptions, consumer
from shared.messaging.contracts import (
    DELIVER_APP_TASK,
    DELIVER_EMAIL_TASK,
    DELIVER_SMS_TASK,
    DELIVER_WHATSAPP_TASK,
    DELIVERY_SWEEP_TASK,
    NOTIFIER_ERASE_TASK,
    NOTIFY_TASK,
    RESEND_TASK,
    Channel,
    ChannelDeliveryV1,
    ComplaintErasedV1,
    NotificationRequestedV1,
    ResendRequestedV1,
)
from shared.runtime.settings import get_settings

log = logging.getLogger(__name__)

app = get_celery()

# An outage must delay a message, not lose it: after its last retry the delivery is recorded
# as failed for good, listed for operators, who may re-send it. The default 1,440 retries at the
# 60 s cap (halved on average by the jitter) ride out an outage of many hours.
OPTIONS = TaskOptions(max_retries=get_settings().delivery.max_retries)


def notify(session: Session, message: NotificationRequestedV1) -> None:
    """The fan-out's body: store the notification with a delivery record per channel."""
    fan_out(session, message)


def try_channels(message: NotificationRequestedV1) -> None:
    """After the fan-out's commit: the first try of each channel still pending."""
    first_tries(get_db(), message)


def deliver(session: Session, message: ChannelDeliveryV1) -> None:
    """A channel task's body: deliver on that one channel."""
    deliver_channel(session, message)


def resend_delivery(session: Session, message: ResendRequestedV1) -> None:
    """An operator's re-send: queue the channel's task again if the delivery failed for good."""
    try:
        resend(session, message)
    except NothingToResend as exc:  # asked twice, or it went out meanwhile: nothing to do
        log.info("re-send ignored: %s", exc)


send_notification = consumer(
    app,
    name=NOTIFY_TASK,
    contract=NotificationRequestedV1,
    database=get_db,
    options=OPTIONS,
    then=try_channels,
)(notify)

deliver_email = consumer(
    app,
    name=DELIVER_EMAIL_TASK,
    contract=ChannelDeliveryV1,
    database=get_db,
    options=OPTIONS,
    retry_for=ROUTES[Channel.EMAIL].transient,
    on_retry=record_retry,
    on_given_up=record_given_up,
)(deliver)

deliver_sms = consumer(
    app,
    name=DELIVER_SMS_TASK,
    contract=ChannelDeliveryV1,
    database=get_db,
    options=OPTIONS,
    retry_for=ROUTES[Channel.SMS].transient,
    on_retry=record_retry,
    on_given_up=record_given_up,
)(deliver)

deliver_whatsapp = consumer(
    app,
    name=DELIVER_WHATSAPP_TASK,
    contract=ChannelDeliveryV1,
    database=get_db,
    options=OPTIONS,
    retry_for=ROUTES[Channel.WHATSAPP].transient,
    on_retry=record_retry,
    on_given_up=record_given_up,
)(deliver)

# The app channel writes to the outbox only (intake's inbox task does the rest), in the fan-out's
# own transaction: this task remains for an operator's re-send (and messages already queued).
deliver_app = consumer(
    app, name=DELIVER_APP_TASK, contract=ChannelDeliveryV1, database=get_db, options=OPTIONS
)(deliver)

resend_requested = consumer(app, name=RESEND_TASK, contract=ResendRequestedV1, database=get_db)(
    resend_delivery
)


# The workflow erased a case's personal data (UU 27/2022): the notifier erases its own copy.
erased = consumer(app, name=NOTIFIER_ERASE_TASK, contract=ComplaintErasedV1, database=get_db)(
    erase_notifications
)


# No retries: the next sweep, ``delivery_sweep_seconds`` later, is the retry; two sweeps at once
# send each lost delivery once (``shared.messaging.outbox.requeue`` resets a row conditionally).
@app.task(name=DELIVERY_SWEEP_TASK)  # type: ignore[untyped-decorator]
@skipped_while_away("delivery sweep")
def delivery_sweep() -> str:
    cutoff = utcnow() - timedelta(seconds=get_settings().delivery.stale_seconds)
    with get_db().transaction() as session:
        result = sweep_stale(session, cutoff)
    return f"requeued {len(result.requeued)}"
