"""Intake's consumers: the complaints the Admin Pengaduan took in the console, the workflow's
status changes, its catalogue's entries and the services the Kasi corrected, the notifier's
"answer sent" and "notice reached no channel", the app channel's inbox messages, the Web Push
of each to each subscribed browser, the one-time access links asked for through the API or
the portal, and the workflow's erasure of a case's personal data.

``shared.messaging.consumer`` gives each one transaction and drops a message it already applied; the
logic lives in ``complaints``, ``inbox``, ``push_delivery`` and ``catalogue.copy`` as plain
functions.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.intake.app_channel.inbox import deliver_to_inbox
from services.intake.app_channel.push_delivery import (
    TransientPushError,
    record_given_up,
    record_retry,
    send_push,
)
from services.intake.bookkeeping import BOOKKEEPING_HANDLERS
from services.intake.catalogue.copy import apply_case_service, apply_entry
from services.intake.database import get_db
from services.intake.filing.complaints import apply_answer, apply_status_change, file_taken
from services.intake.privacy.erasure import erase_complaint
from services.intake.tracking.access_links import issue
from services.intake.tracking.notices import record_delivered, record_undeliverable
from shared.attachments import StoreUnavailable, open_store
from shared.messaging.batch_consumer import batch_consumer, mixed_batch_consumer
from shared.messaging.celery_app import get_celery
from shared.messaging.consumer import TaskOptions, consumer
from shared.messaging.contracts import (
    INTAKE_ACCESS_LINK_TASK,
    INTAKE_ANSWERED_TASK,
    INTAKE_BOOKKEEPING_BATCH_TASK,
    INTAKE_CASE_SERVICE_TASK,
    INTAKE_DELIVERED_TASK,
    INTAKE_ERASE_TASK,
    INTAKE_INBOX_TASK,
    INTAKE_PUSH_TASK,
    INTAKE_SERVICE_ENTRY_TASK,
    INTAKE_STATUS_TASK,
    INTAKE_TAKEN_TASK,
    INTAKE_UNDELIVERABLE_TASK,
    AccessLinkRequestedV1,
    CaseServiceChangedV1,
    CaseStatusChangedV1,
    ComplaintAnsweredV1,
    ComplaintErasedV1,
    ComplaintTakenV1,
    InboxMessageV1,
    NoticeDeliveredV1,
    NoticeUndeliverableV1,
    PushDeliveryV1,
    ServiceEntryV1,
)

app = get_celery()

# A complaint the Admin Pengaduan took in the console: filed here as any other (its message id,
# in the consumer's inbox, files it once).
taken = consumer(app, name=INTAKE_TAKEN_TASK, contract=ComplaintTakenV1, database=get_db)(
    file_taken
)

status_changed = consumer(
    app, name=INTAKE_STATUS_TASK, contract=CaseStatusChangedV1, database=get_db
)(apply_status_change)

answered = consumer(app, name=INTAKE_ANSWERED_TASK, contract=ComplaintAnsweredV1, database=get_db)(
    apply_answer
)

undeliverable = consumer(
    app, name=INTAKE_UNDELIVERABLE_TASK, contract=NoticeUndeliverableV1, database=get_db
)(record_undeliverable)

delivered_after_all = consumer(
    app, name=INTAKE_DELIVERED_TASK, contract=NoticeDeliveredV1, database=get_db
)(record_delivered)

inbox_message = consumer(app, name=INTAKE_INBOX_TASK, contract=InboxMessageV1, database=get_db)(
    deliver_to_inbox
)

# The same, a batch at a time: the outbox relay sends the rows of these tasks it finds together
# as one message (``shared.messaging.contracts.batches``); each item is applied once, as above.
status_changes = batch_consumer(
    app, name=INTAKE_STATUS_TASK, contract=CaseStatusChangedV1, database=get_db
)(apply_status_change)

answers = batch_consumer(
    app, name=INTAKE_ANSWERED_TASK, contract=ComplaintAnsweredV1, database=get_db
)(apply_answer)

inbox_messages = batch_consumer(
    app, name=INTAKE_INBOX_TASK, contract=InboxMessageV1, database=get_db
)(deliver_to_inbox)

# The three together (``contracts.batches.SHARED_BATCHES``): rows of these tasks found ready at
# once travel to intake's queue as one message, each item applied by its own task's function.
bookkeeping = mixed_batch_consumer(
    app,
    name=INTAKE_BOOKKEEPING_BATCH_TASK,
    handlers=BOOKKEEPING_HANDLERS,
    database=get_db,
)

# A push is a doorbell for what the inbox already holds: worth some minutes of retries (backoff
# up to 60 s), not the notifier's hours.
push = consumer(
    app,
    name=INTAKE_PUSH_TASK,
    contract=PushDeliveryV1,
    database=get_db,
    options=TaskOptions(max_retries=10),
    retry_for=(TransientPushError,),
    on_retry=record_retry,
    on_given_up=record_given_up,
)(send_push)


def send_access_link(session: Session, message: AccessLinkRequestedV1) -> None:
    issue(session, message)


# A request for an access link: the complaint, if any, found here, off the request's path.
access_link = consumer(
    app, name=INTAKE_ACCESS_LINK_TASK, contract=AccessLinkRequestedV1, database=get_db
)(send_access_link)


# The workflow's catalogue, entry by entry as the office edits it (a newer revision wins), and
# the service of a complaint as the Kasi corrected it (a newer correction wins).
service_entry = consumer(
    app, name=INTAKE_SERVICE_ENTRY_TASK, contract=ServiceEntryV1, database=get_db
)(apply_entry)

case_service = consumer(
    app, name=INTAKE_CASE_SERVICE_TASK, contract=CaseServiceChangedV1, database=get_db
)(apply_case_service)


def erase(session: Session, message: ComplaintErasedV1) -> None:
    erase_complaint(session, message, open_store())


# The workflow erased a case's personal data (UU 27/2022): intake erases its own copy. A store
# that cannot be reached is waited for (the files must go too).
erased = consumer(
    app,
    name=INTAKE_ERASE_TASK,
    contract=ComplaintErasedV1,
    database=get_db,
    retry_for=(StoreUnavailable,),
)(erase)
