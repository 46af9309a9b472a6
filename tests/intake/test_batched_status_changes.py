"""Status changes committed together travel as one batch message, and intake's batch consumer
applies each item once, with a receipt of its own: a batch delivered again changes nothing, an
invalid item is kept as its own dead letter while the others apply, and the outbox's redrive
finds every item confirmed (so sends no copy)."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import redis
from celery import Task
from sqlalchemy import select, update

from services.intake.database import get_db
from services.intake.filing.complaints import apply_status_change
from services.intake.models import Complaint, TimelineEntry
from shared.database.engine import utcnow
from shared.database.shared_tables import FailedMessage, OutboxMessage, ProcessedMessage
from shared.messaging.batch_consumer import batch_consumer, consume_items
from shared.messaging.celery_app import get_celery
from shared.messaging.contracts import (
    BATCH_TASKS,
    INTAKE_STATUS_TASK,
    CaseStatusChangedV1,
    batch_id,
)
from shared.messaging.outbox import enqueue
from shared.messaging.relay import OutboxRelay
from tests.intake.conftest import outbox_rows, queued, unconfirmed
from tools.harness.processes import wait_for

BATCH_TASK = BATCH_TASKS[INTAKE_STATUS_TASK]
STATUSES = ("registered", "verifying", "verified")


def changes(tracking_code: str) -> list[CaseStatusChangedV1]:
    return [
        CaseStatusChangedV1(tracking_code=tracking_code, status=status, sequence=n)
        for n, status in enumerate(STATUSES, start=2)
    ]


def commit_together(broker: str, messages: list[CaseStatusChangedV1]) -> dict[str, Any]:
    """Commit ``messages`` in one transaction, as a step or a sweep does (its commit hands the
    rows to the relay: the API's thread, here), and return the one message the relay then sent
    to intake's queue."""
    with get_db().transaction() as session:
        for message in messages:
            enqueue(session, INTAKE_STATUS_TASK, message)
    wait_for(lambda: all(row.published_at for row in outbox_rows()), 15, "rows published")
    [sent] = queued(broker, "intake")
    return sent


def status_changes() -> Task:
    """Intake's batch task as ``services.intake.tasks`` registers it, on this test's Celery app
    (whose broker is this test's Redis); registered once per app."""
    app = get_celery()
    if BATCH_TASK in app.tasks:
        return app.tasks[BATCH_TASK]
    return batch_consumer(
        app, name=INTAKE_STATUS_TASK, contract=CaseStatusChangedV1, database=get_db
    )(apply_status_change)


def run(sent: dict[str, Any]) -> Any:
    """The batch task, run here on the message exactly as the relay put it on the queue."""
    _args, kwargs, _embed = json.loads(base64.b64decode(sent["body"]))  # kombu's JSON body
    return status_changes().apply(kwargs=kwargs).get()


def timeline(code: str) -> list[str]:
    with get_db().sessions() as session:
        complaint = session.scalar(select(Complaint).where(Complaint.tracking_code == code))
        assert complaint is not None
        return list(
            session.scalars(
                select(TimelineEntry.status)
                .where(TimelineEntry.complaint_id == complaint.id)
                .order_by(TimelineEntry.id)
            )
        )


def test_rows_committed_together_go_as_one_batch_and_a_lone_row_as_itself(
    filed_and_drained: dict[str, Any], configured: dict[str, str]
) -> None:
    broker = configured["PENGADUAN_REDIS_URL"]
    messages = changes(filed_and_drained["tracking_code"])
    sent = commit_together(broker, messages)
    ids = [str(m.message_id) for m in messages]
    assert sent["headers"]["task"] == BATCH_TASK
    assert sent["headers"]["id"] == batch_id(ids)  # the same rows, the same task id
    redis.Redis.from_url(broker).delete("intake")

    [alone] = changes(filed_and_drained["tracking_code"])[:1]
    sent = commit_together(broker, [alone])
    assert (sent["headers"]["task"], sent["headers"]["id"]) == (
        INTAKE_STATUS_TASK,
        str(alone.message_id),
    )


def test_each_item_takes_effect_once_and_a_redelivered_batch_changes_nothing(
    filed_and_drained: dict[str, Any], configured: dict[str, str]
) -> None:
    broker = configured["PENGADUAN_REDIS_URL"]
    messages = changes(filed_and_drained["tracking_code"])
    sent = commit_together(broker, messages)

    assert run(sent) == {"applied": 3}
    after_first = timeline(filed_and_drained["tracking_code"])
    assert after_first[-3:] == list(STATUSES)
    assert run(sent) == {"duplicate": 3}  # the same task again: nothing more
    assert timeline(filed_and_drained["tracking_code"]) == after_first
    with get_db().sessions() as session:
        complaint = session.scalar(
            select(Complaint).where(Complaint.tracking_code == filed_and_drained["tracking_code"])
        )
        assert complaint is not None and complaint.status == "verified"

    # Every item confirmed by its own id: the redrive sends no copy of any row.
    assert unconfirmed(broker, [str(m.message_id) for m in messages]) == []
    with get_db().transaction() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.task_name == INTAKE_STATUS_TASK)  # not the filing's own rows
            .values(published_at=utcnow() - timedelta(seconds=600))
        )
    assert OutboxRelay(get_db().sessions, get_celery(), redrive_seconds=60).redrive_due() == 0


def test_an_invalid_item_is_kept_as_its_own_dead_letter_and_the_others_apply(
    filed_and_drained: dict[str, Any], configured: dict[str, str]
) -> None:
    first, _, last = changes(filed_and_drained["tracking_code"])
    bad = {"message_id": "7d1f6a50-3c2e-4f0e-9a43-9f6f4b8a0c11", "tracking_code": 42}
    items = [first.model_dump(mode="json"), bad, last.model_dump(mode="json")]
    outcome = (
        status_changes()
        .apply(kwargs={"message": {"task": INTAKE_STATUS_TASK, "messages": items}})
        .get()
    )
    assert outcome == {"applied": 2, "failed": 1}
    assert timeline(filed_and_drained["tracking_code"])[-2:] == ["registered", "verified"]
    with get_db().sessions() as session:
        [failed] = session.scalars(select(FailedMessage))
    # Under the single task's name, so an operator's replay goes to the single consumer.
    assert (failed.task_name, failed.message_id, failed.payload) == (
        INTAKE_STATUS_TASK,
        bad["message_id"],
        bad,
    )
    ids = [str(first.message_id), bad["message_id"], str(last.message_id)]
    assert unconfirmed(configured["PENGADUAN_REDIS_URL"], ids) == []


def test_an_item_whose_handler_fails_is_rolled_back_alone(
    filed_and_drained: dict[str, Any], configured: dict[str, str]
) -> None:
    first, refused, last = changes(filed_and_drained["tracking_code"])

    def refuses_one(session: Any, msg: CaseStatusChangedV1) -> None:
        apply_status_change(session, msg)  # its timeline entry is written, then rolled back
        if msg.message_id == refused.message_id:
            raise ValueError("the row does not fit the column")

    payloads = [m.model_dump(mode="json") for m in (first, refused, last)]
    settled, outcome = consume_items(
        get_db(),
        BATCH_TASK,
        [(INTAKE_STATUS_TASK, payload) for payload in payloads],
        {INTAKE_STATUS_TASK: (CaseStatusChangedV1, refuses_one)},
        (),
    )
    assert outcome == {"applied": 2, "failed": 1}
    assert settled == [str(m.message_id) for m in (first, refused, last)]
    assert timeline(filed_and_drained["tracking_code"])[-2:] == ["registered", "verified"]
    with get_db().sessions() as session:
        assert session.get(ProcessedMessage, str(refused.message_id)) is None
        [failed] = session.scalars(select(FailedMessage))
    assert failed.message_id == str(refused.message_id)
    assert "the row does not fit the column" in failed.error
