"""The notifier's tasks: a fan-out per notification, then one delivery task per channel.

``notifier.notification.send`` stores the NotificationRequestedV1 and queues (outbox) one
``notifier.deliver.<channel>`` message per channel, carrying ids only. Each channel's task runs
in a transaction of its own, so a channel that is down retries alone and never resends another
channel's message. ``shared.consumer`` records each message id with its effect, so once a
transaction commits a redelivered message is skipped.

The remaining window, per channel: the SMTP server (or SMS gateway) accepted the message, then
this process died before the channel's transaction committed. The broker redelivers the channel's
message and it goes out a second time: the email with the same Message-ID header, the SMS with
the same idempotency key (a gateway that honours it drops the repeat). At-least-once was chosen
there on purpose: neither SMTP nor a gateway without idempotency can answer "did you already
take this?", and recording "sending" in a transaction of its own before the send turns the same
crash into a message possibly never sent and never retried. Reading the answer twice is better
than never reading it.
"""

from __future__ import annotations

from celery import current_task
from sqlalchemy.orm import Session

from services.notifier.database import get_db
from services.notifier.delivery import deliver_channel, fan_out
from services.notifier.mail import TransientMailError
from services.notifier.sms import TransientSmsError
from shared.celery_app import get_celery
from shared.consumer import TaskOptions, consumer
from shared.contracts import (
    DELIVER_APP_TASK,
    DELIVER_EMAIL_TASK,
    DELIVER_SMS_TASK,
    NOTIFY_TASK,
    ChannelDeliveryV1,
    NotificationRequestedV1,
)

app = get_celery()

# An outage must delay a message, not lose it: after its last retry a task is dropped (kept as a
# failed message for operators). 1,440 retries at the 60 s cap (halved on average by the jitter)
# ride out an outage of many hours.
OPTIONS = TaskOptions(max_retries=1440)


def _attempt() -> int:
    """This task's try, 1 for the first; 1 as well when called outside a worker (tests)."""
    task = current_task
    return task.request.retries + 1 if task else 1


def notify(session: Session, message: NotificationRequestedV1) -> None:
    """The fan-out's body: store the notification, queue one delivery per channel."""
    fan_out(session, message)


def deliver(session: Session, message: ChannelDeliveryV1) -> None:
    """A channel task's body: deliver on that one channel."""
    deliver_channel(session, message, attempt=_attempt())


send_notification = consumer(
    app, name=NOTIFY_TASK, contract=NotificationRequestedV1, database=get_db, options=OPTIONS
)(notify)

deliver_email = consumer(
    app,
    name=DELIVER_EMAIL_TASK,
    contract=ChannelDeliveryV1,
    database=get_db,
    options=OPTIONS,
    retry_for=(TransientMailError,),
)(deliver)

deliver_sms = consumer(
    app,
    name=DELIVER_SMS_TASK,
    contract=ChannelDeliveryV1,
    database=get_db,
    options=OPTIONS,
    retry_for=(TransientSmsError,),
)(deliver)

# The app channel writes to the outbox only (intake's inbox task does the rest): no transient
# error of its own beyond the database's.
deliver_app = consumer(
    app, name=DELIVER_APP_TASK, contract=ChannelDeliveryV1, database=get_db, options=OPTIONS
)(deliver)
