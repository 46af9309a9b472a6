"""Rows of several bookkeeping tasks bound for intake's queue travel as one shared batch
(``contracts.batches.MixedBatchV1``) and intake's consumer dispatches each item to its own task's
handler: each item applies once, a redelivered batch changes nothing, an item that cannot apply
is its own dead letter under its own task's name, and every item is confirmed by its own id."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

from celery import Task
from sqlalchemy import func, select

from services.intake.bookkeeping import BOOKKEEPING_HANDLERS
from services.intake.database import get_db
from services.intake.models import Complaint, InboxMessage
from shared.database.engine import utcnow
from shared.database.shared_tables import FailedMessage, ProcessedMessage
from shared.messaging.batch_consumer import mixed_batch_consumer
from shared.messaging.celery_app import get_celery
from shared.messaging.contracts import (
    INTAKE_ANSWERED_TASK,
    INTAKE_BOOKKEEPING_BATCH_TASK,
    INTAKE_INBOX_TASK,
    INTAKE_STATUS_TASK,
    SHARED_BATCHES,
    CaseStatusChangedV1,
    ComplaintAnsweredV1,
    InboxMessageV1,
    Message,
    NotificationKind,
    batch_id,
)
from shared.messaging.outbox import enqueue
from tests.intake.conftest import outbox_rows, queued, unconfirmed
from tools.harness.processes import wait_for


def messages(code: str) -> list[tuple[str, Message]]:
    """A status change, the answer and its inbox hand-over: what the workflow and the notifier
    send intake at step 5, in the order a relay may find them."""
    return [
        (
            INTAKE_STATUS_TASK,
            CaseStatusChangedV1(tracking_code=code, status="verified", sequence=9),
        ),
        (
            INTAKE_ANSWERED_TASK,
            ComplaintAnsweredV1(
                tracking_code=code, answer="Jalan sudah diperbaiki.", answered_at=utcnow()
            ),
        ),
        (
            INTAKE_INBOX_TASK,
            InboxMessageV1(
                notification_id=uuid.uuid4(),
                tracking_code=code,
                kind=NotificationKind.ANSWER,
                title="Jawaban pengaduan Anda",
                body="Jalan sudah diperbaiki.",
            ),
        ),
    ]


def bookkeeping() -> Task:
    """Intake's shared-batch task as ``services.intake.tasks`` registers it, on this test's
    Celery app; registered once per app."""
    app = get_celery()
    if INTAKE_BOOKKEEPING_BATCH_TASK in app.tasks:
        return app.tasks[INTAKE_BOOKKEEPING_BATCH_TASK]
    return mixed_batch_consumer(
        app,
        name=INTAKE_BOOKKEEPING_BATCH_TASK,
        handlers=BOOKKEEPING_HANDLERS,
        database=get_db,
    )


def commit_together(broker: str, rows: list[tuple[str, Message]]) -> dict[str, Any]:
    """Commit ``rows`` in one transaction (its commit hands them to the API's relay thread) and
    return the one message then sent to intake's queue."""
    with get_db().transaction() as session:
        for task, message in rows:
            enqueue(session, task, message)
    wait_for(lambda: all(row.published_at for row in outbox_rows()), 15, "rows published")
    [sent] = queued(broker, "intake")
    return sent


def run(message: dict[str, Any]) -> Any:
    return bookkeeping().apply(kwargs={"message": message}).get()


def body(sent: dict[str, Any]) -> dict[str, Any]:
    _args, kwargs, _embed = json.loads(base64.b64decode(sent["body"]))  # kombu's JSON body
    return kwargs["message"]  # type: ignore[no-any-return]


def state(code: str) -> tuple[str, str | None, int]:
    with get_db().sessions() as session:
        complaint = session.scalar(select(Complaint).where(Complaint.tracking_code == code))
        assert complaint is not None
        inbox = session.scalar(
            select(func.count())
            .select_from(InboxMessage)
            .where(InboxMessage.complaint_id == complaint.id)
        )
        return complaint.status, complaint.answer, int(inbox or 0)


def test_rows_of_several_tasks_for_intake_go_as_one_shared_batch(
    filed_and_drained: dict[str, Any], configured: dict[str, str]
) -> None:
    rows = messages(filed_and_drained["tracking_code"])
    sent = commit_together(configured["PENGADUAN_REDIS_URL"], rows)
    assert sent["headers"]["task"] == INTAKE_BOOKKEEPING_BATCH_TASK
    assert sent["headers"]["id"] == batch_id([str(m.message_id) for _, m in rows])
    assert [item["task"] for item in body(sent)["items"]] == [task for task, _ in rows]


def test_each_item_applies_once_and_a_redelivered_shared_batch_changes_nothing(
    filed_and_drained: dict[str, Any], configured: dict[str, str]
) -> None:
    broker, code = configured["PENGADUAN_REDIS_URL"], filed_and_drained["tracking_code"]
    rows = messages(code)
    message = body(commit_together(broker, rows))

    assert run(message) == {"applied": 3}
    assert state(code) == ("answered", "Jalan sudah diperbaiki.", 1)
    assert run(message) == {"duplicate": 3}  # the same batch again: nothing more
    assert state(code) == ("answered", "Jalan sudah diperbaiki.", 1)
    with get_db().sessions() as session:  # each item recorded under its own task
        for task, m in rows:
            processed = session.get(ProcessedMessage, str(m.message_id))
            assert processed is not None and processed.task_name == task
    assert unconfirmed(broker, [str(m.message_id) for _, m in rows]) == []


def test_a_bad_item_is_its_own_dead_letter_under_its_own_task(
    filed_and_drained: dict[str, Any], configured: dict[str, str]
) -> None:
    code = filed_and_drained["tracking_code"]
    [status, answer, inbox] = messages(code)
    bad_answer = {**answer[1].model_dump(mode="json"), "answered_at": "not a time"}
    unknown = {"message_id": str(uuid.uuid4()), "tracking_code": code}
    items = [
        {"task": status[0], "message": status[1].model_dump(mode="json")},
        {"task": INTAKE_ANSWERED_TASK, "message": bad_answer},
        {"task": "intake.no.such.task", "message": unknown},
        {"task": inbox[0], "message": inbox[1].model_dump(mode="json")},
    ]
    assert run({"items": items}) == {"applied": 2, "failed": 2}
    status_now, answer_now, inboxed = state(code)
    assert (status_now, answer_now, inboxed) == ("verified", None, 1)
    with get_db().sessions() as session:
        failed = {f.task_name: f for f in session.scalars(select(FailedMessage))}
    assert sorted(failed) == sorted([INTAKE_ANSWERED_TASK, "intake.no.such.task"])
    assert failed[INTAKE_ANSWERED_TASK].payload == bad_answer
    assert "no handler" in failed["intake.no.such.task"].error
    ids = [str(status[1].message_id), bad_answer["message_id"], unknown["message_id"]]
    assert unconfirmed(configured["PENGADUAN_REDIS_URL"], ids) == []


def test_every_task_that_may_share_intakes_batch_has_a_handler_there() -> None:
    """A task routed into the shared batch without a handler would have every item of it kept
    as a dead letter instead of applied."""
    shared = {task for task, to in SHARED_BATCHES.items() if to == INTAKE_BOOKKEEPING_BATCH_TASK}
    assert set(BOOKKEEPING_HANDLERS) == shared
