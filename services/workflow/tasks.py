"""The SOP step tasks: one arrival task per step, on that step's role queue (from the SOP table)."""

from __future__ import annotations

from celery import Task
from sqlalchemy.orm import Session

from services.workflow.database import get_db
from services.workflow.notifications import CaseNotYetRegistered, record_delivery
from services.workflow.paths import receive_reply
from services.workflow.steps import arrive, receive_complaint
from shared.celery_app import get_celery
from shared.consumer import consumer
from shared.contracts import (
    WORKFLOW_NOTIFIED_TASK,
    ComplainantReplyV1,
    ComplaintFiledV1,
    NotificationDeliveredV1,
    StepHandoffV1,
)
from shared.sop import FIRST_STEP, PATHS, STEPS

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


def _reply(session: Session, message: ComplainantReplyV1) -> None:
    receive_reply(session, message)


REPLY_TASKS: dict[str, Task] = {
    p.name: consumer(app, name=p.reply_task, contract=ComplainantReplyV1, database=get_db)(_reply)
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
