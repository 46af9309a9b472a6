"""The notifier's one task: deliver a NotificationRequestedV1, once.

``shared.consumer`` runs ``notify`` in one transaction and records the message id in
it, so once that commits a redelivered message is skipped and nothing is sent twice.

The one remaining window: the SMTP server accepted the email, then this process died before the
transaction committed. The broker redelivers the message and the email goes out a second time,
with the same Message-ID header. At-least-once was chosen there on purpose: SMTP has no way to
ask "did you already take this?", so the alternative, recording "sending" in a transaction of
its own before the send, turns the same crash into an email that was possibly never sent and is
never retried. A complainant reading the answer twice is better than never reading it.
"""

from __future__ import annotations

from celery import current_task
from sqlalchemy.orm import Session

from services.notifier.database import get_db
from services.notifier.delivery import deliver
from services.notifier.mail import TransientMailError, email_sender
from shared.celery_app import get_celery
from shared.consumer import TaskOptions, consumer
from shared.contracts import NOTIFY_TASK, NotificationRequestedV1
from shared.settings import get_settings

app = get_celery()

# An SMTP outage must delay the answer, not lose it: after its last retry a task is dropped, and
# the answer with it (intake's copy rolls back with the email). 1,440 retries at the 60 s cap
# (halved on average by the jitter) ride out an outage of many hours.
OPTIONS = TaskOptions(max_retries=1440)


def _attempt() -> int:
    """This task's try, 1 for the first; 1 as well when called outside a worker (tests)."""
    task = current_task
    return task.request.retries + 1 if task else 1


def notify(session: Session, message: NotificationRequestedV1) -> None:
    """The task body: deliver with the sender the settings choose (SMTP, or the Maildir)."""
    deliver(session, message, email_sender(get_settings()), attempt=_attempt())


send_notification = consumer(
    app,
    name=NOTIFY_TASK,
    contract=NotificationRequestedV1,
    database=get_db,
    options=OPTIONS,
    retry_for=(TransientMailError,),
)(notify)
