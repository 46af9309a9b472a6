"""The SOP step tasks: one arrival task per step, on that step's role queue (from the SOP table),
and the Mutu Baku sweep that Celery beat fires."""

from __future__ import annotations

import logging

from celery import Task
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from services.workflow.cases.attachments import attach
from services.workflow.cases.notifications import (
    CaseNotYetRegistered,
    record_deliveries,
    record_delivery,
)
from services.workflow.cases.paths import receive_reply
from services.workflow.cases.reopening import receive_rating, receive_reopen_request
from services.workflow.cases.steps import arrive, receive_complaint
from services.workflow.cases.surveys import RatingNotYetReceived, receive_survey
from services.workflow.database import get_db
from services.workflow.privacy.requests import receive_erasure_request
from services.workflow.privacy.retention import sweep_retention
from services.workflow.sla import clock
from services.workflow.sla.close_sweep import sweep_closes
from services.workflow.sla.reply_sweep import sweep_replies
from services.workflow.sla.sweep import sweep
from shared.attachments import StoreUnavailable, open_store
from shared.database.availability import skipped_while_away
from shared.messaging.batch_consumer import batch_consumer
from shared.messaging.celery_app import get_celery
from shared.messaging.consumer import TaskOptions, consumer
from shared.messaging.contracts import (
    RETENTION_SWEEP_TASK,
    SLA_SWEEP_TASK,
    WORKFLOW_ATTACHMENT_TASK,
    WORKFLOW_ERASURE_TASK,
    WORKFLOW_NOTIFIED_TASK,
    WORKFLOW_NOTIFIED_V2_TASK,
    WORKFLOW_RATED_TASK,
    WORKFLOW_REOPEN_TASK,
    WORKFLOW_SURVEY_TASK,
    AttachmentAddedV1,
    ComplainantReplyV1,
    ComplaintFiledV1,
    ComplaintRatedV1,
    ErasureRequestedV1,
    NotificationDeliveredV1,
    NotificationDeliveredV2,
    ReopenRequestedV1,
    StepHandoffV1,
    SurveyAnsweredV1,
)
from shared.runtime.settings import get_settings
from shared.sop import FIRST_STEP, PATHS, STEPS

log = logging.getLogger(__name__)

app = get_celery()


@consumer(app, name=FIRST_STEP.arrive_task, contract=ComplaintFiledV1, database=get_db)
def receive(session: Session, message: ComplaintFiledV1) -> None:
    receive_complaint(session, message)


def _arrival(session: Session, message: StepHandoffV1) -> None:
    arrive(session, message)


ARRIVAL_TASKS: dict[int, Task] = {
    step.number: consumer(app, name=step.arrive_task, contract=StepHandoffV1, database=get_db)(
        _arrival
    )
    for step in STEPS
    if step is not FIRST_STEP
}


ATTACHMENT_RETRIES = TaskOptions(max_retries=60, retry_backoff=1, retry_backoff_max=10)


def _reply(session: Session, message: ComplainantReplyV1) -> None:
    receive_reply(session, message)


# A reply consumed while the sweep closes the case (its deadline passed) loses the optimistic
# check (the close bumps the version): the retry finds the case closed and ignores the reply.
REPLY_TASKS: dict[str, Task] = {
    p.name: consumer(
        app,
        name=p.reply_task,
        contract=ComplainantReplyV1,
        database=get_db,
        retry_for=(StaleDataError,),
    )(_reply)
    for p in PATHS
    if p.waits_for_complainant
}


@consumer(
    app,
    name=WORKFLOW_NOTIFIED_TASK,
    contract=NotificationDeliveredV1,
    database=get_db,
    # Delivery reports do not bump the case's version (see history._next_sequence); a retry
    # covers only a report that arrives before the case is registered.
    retry_for=(CaseNotYetRegistered,),
)
def notified(session: Session, message: NotificationDeliveredV1) -> None:
    record_delivery(session, message)


@consumer(
    app,
    name=WORKFLOW_NOTIFIED_V2_TASK,
    contract=NotificationDeliveredV2,
    database=get_db,
    retry_for=(CaseNotYetRegistered,),
)
def notified_v2(session: Session, message: NotificationDeliveredV2) -> None:
    record_deliveries(session, message)


# The same reports, a batch at a time (``shared.messaging.contracts.batches``): a report that
# arrives before its case retries the whole batch, as it would retry alone.
notified_v2_batch = batch_consumer(
    app,
    name=WORKFLOW_NOTIFIED_V2_TASK,
    contract=NotificationDeliveredV2,
    database=get_db,
    retry_for=(CaseNotYetRegistered,),
)(record_deliveries)


@consumer(
    app,
    name=WORKFLOW_ATTACHMENT_TASK,
    contract=AttachmentAddedV1,
    database=get_db,
    # The filing travels as another task: a file announced before its case is registered
    # waits for it with Celery's own retry. Countdowns stay short (a long countdown on Redis
    # outlives the visibility timeout and is delivered twice, see DESIGN.md), and many: the
    # file waits some ten minutes (a worker restarting, a backlog of filings) before it goes
    # to the failed messages, from which operators send it again.
    options=ATTACHMENT_RETRIES,
    retry_for=(CaseNotYetRegistered,),
)
def attachment_added(session: Session, message: AttachmentAddedV1) -> None:
    attach(session, message)


# After the answer. A reopening consumed while the sweep closes the case loses the optimistic
# check (the close bumps the version): the retry finds the case closed and records the refusal.
@consumer(
    app,
    name=WORKFLOW_RATED_TASK,
    contract=ComplaintRatedV1,
    database=get_db,
    retry_for=(StaleDataError, CaseNotYetRegistered),
)
def rated(session: Session, message: ComplaintRatedV1) -> None:
    receive_rating(session, message)


@consumer(
    app,
    name=WORKFLOW_REOPEN_TASK,
    contract=ReopenRequestedV1,
    database=get_db,
    retry_for=(StaleDataError, CaseNotYetRegistered),
)
def reopen_requested(session: Session, message: ReopenRequestedV1) -> None:
    receive_reopen_request(session, message)


# The SKM survey of a rated answer. It travels apart from its rating: arriving first, it waits
# for it with Celery's own short retries (as an attachment waits for its case).
@consumer(
    app,
    name=WORKFLOW_SURVEY_TASK,
    contract=SurveyAnsweredV1,
    database=get_db,
    options=ATTACHMENT_RETRIES,
    retry_for=(RatingNotYetReceived, CaseNotYetRegistered),
)
def surveyed(session: Session, message: SurveyAnsweredV1) -> None:
    receive_survey(session, message)


# No retries: the next sweep, ``sla_sweep_seconds`` later, is the retry. Firing it twice (beat
# and an operator, or a redelivery) is safe: every warning and breach is claimed once.
@app.task(name=SLA_SWEEP_TASK)  # type: ignore[untyped-decorator]
@skipped_while_away("Mutu Baku sweep")
def sla_sweep() -> str:
    now = clock.now()
    with get_db().transaction() as session:
        result = sweep(session, now)
        replies = sweep_replies(session, now)
        closed = sweep_closes(session, now)
    if result.warned or result.breached:
        log.info("Mutu Baku sweep: warned %s, breached %s", result.warned, result.breached)
    if replies.reminded or replies.closed:
        log.info("reply sweep: reminded %s, closed %s", replies.reminded, replies.closed)
    if closed:
        log.info("close sweep: closed after the reopening window %s", closed)
    return (
        f"warned {len(result.warned)}, breached {len(result.breached)}, "
        f"reminded {len(replies.reminded)}, closed {len(replies.closed)}, "
        f"windows ended {len(closed)}"
    )


# The complainant's request for early erasure (UU 27/2022), once the case closed. An erasure
# consumed while a reopening or the close sweep changes the case loses the optimistic check and
# retries; the erasure of a case erased already is nothing.
@consumer(
    app,
    name=WORKFLOW_ERASURE_TASK,
    contract=ErasureRequestedV1,
    database=get_db,
    retry_for=(StaleDataError, CaseNotYetRegistered, StoreUnavailable),
)
def erasure_requested(session: Session, message: ErasureRequestedV1) -> None:
    receive_erasure_request(session, message, open_store())


# Daily (Celery beat): erase the personal data of the cases closed longer than the retention
# time ago. No retries: tomorrow's sweep is the retry, and a case erased once is not again.
@app.task(name=RETENTION_SWEEP_TASK)  # type: ignore[untyped-decorator]
@skipped_while_away("retention sweep")
def retention_sweep() -> str:
    now = clock.now()
    retention = get_settings().privacy.retention
    erased = sweep_retention(get_db().transaction, now, retention, open_store())
    if erased:
        log.info("retention sweep: personal data erased of %s", erased)
    return f"erased {len(erased)}"
