"""Status changes and the answer, as intake's consumers apply them: once per message, in
sequence order, and never back from "answered" to a status from before the answer (a
reopening after it is in test_after_answer.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from services.intake.database import get_db
from services.intake.filing.complaints import apply_answer, apply_status_change, file_complaint
from services.intake.models import Complaint, TimelineEntry
from services.intake.tasks import answered, status_changed
from shared.database.shared_tables import ProcessedMessage
from shared.messaging.celery_app import get_celery
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    INTAKE_ANSWERED_TASK,
    INTAKE_STATUS_TASK,
    CaseStatusChangedV1,
    ComplaintAnsweredV1,
)
from shared.messaging.contracts.filing import ComplaintIn
from tests.intake.conftest import complaint_body

ANSWER = "Izin usaha Anda telah terbit dan dapat diunduh melalui OSS."


@pytest.fixture
def code(configured: dict[str, str]) -> str:
    """The tracking code of a freshly filed complaint."""
    with get_db().transaction() as session:
        complaint, _token = file_complaint(session, ComplaintIn.model_validate(complaint_body()))
        return complaint.tracking_code


def change(code: str, status: str, sequence: int) -> CaseStatusChangedV1:
    return CaseStatusChangedV1(tracking_code=code, status=status, sequence=sequence)


def apply_change(msg: CaseStatusChangedV1) -> str:
    return consume_once(get_db(), INTAKE_STATUS_TASK, msg, apply_status_change)


def apply_answered(msg: ComplaintAnsweredV1) -> str:
    return consume_once(get_db(), INTAKE_ANSWERED_TASK, msg, apply_answer)


def answer_message(code: str) -> ComplaintAnsweredV1:
    return ComplaintAnsweredV1(tracking_code=code, answer=ANSWER, answered_at=datetime.now(UTC))


def state(code: str) -> tuple[str, int, list[str]]:
    """The complaint's status, its sequence, and its timeline's statuses in order."""
    with get_db().sessions() as session:
        complaint = session.scalars(select(Complaint).where(Complaint.tracking_code == code)).one()
        entries = session.scalars(
            select(TimelineEntry.status)
            .where(TimelineEntry.complaint_id == complaint.id)
            .order_by(TimelineEntry.occurred_at, TimelineEntry.id)
        )
        return complaint.status, complaint.status_sequence, list(entries)


def test_a_status_change_moves_the_complaint_and_joins_its_timeline(code: str) -> None:
    assert apply_change(change(code, "received", 2)) == "applied"
    assert state(code) == ("received", 2, ["submitted", "received"])


def test_the_same_status_message_delivered_twice_adds_one_timeline_entry(code: str) -> None:
    msg = change(code, "received", 2)

    assert apply_change(msg) == "applied"
    assert apply_change(msg) == "duplicate"

    assert state(code) == ("received", 2, ["submitted", "received"])


def test_a_replay_without_the_inbox_record_still_adds_nothing(code: str) -> None:
    """The timeline's unique message id catches a repeat even if the inbox did not."""
    msg = change(code, "received", 2)
    for _ in range(2):
        with get_db().transaction() as session:
            apply_status_change(session, msg)
    assert state(code) == ("received", 2, ["submitted", "received"])


def test_a_late_older_update_is_on_the_timeline_but_does_not_move_the_status_back(
    code: str,
) -> None:
    received = change(code, "received", 2)
    verifying = change(code, "verifying", 4)  # sent later, delivered first
    apply_change(verifying)
    apply_change(received)

    status, sequence, timeline = state(code)
    assert (status, sequence) == ("verifying", 4)
    assert timeline == ["submitted", "received", "verifying"]  # in the order they happened


def test_the_answer_is_shown_with_its_time(code: str) -> None:
    msg = answer_message(code)
    assert apply_answered(msg) == "applied"
    assert apply_answered(msg) == "duplicate"

    with get_db().sessions() as session:
        complaint = session.scalars(select(Complaint)).one()
    assert (complaint.status, complaint.answer, complaint.answered_at) == (
        "answered",
        ANSWER,
        msg.answered_at,
    )
    assert state(code)[2] == ["submitted", "answered"]


def test_nothing_from_before_the_answer_moves_a_complaint_away_from_it(code: str) -> None:
    apply_change(change(code, "follow_up", 8))
    answer_ready = change(code, "answer_ready", 10)
    apply_answered(answer_message(code))
    apply_change(answer_ready)  # sent before the answer went out, overtaken on the way

    status, _sequence, timeline = state(code)
    assert status == "answered"
    assert timeline == ["submitted", "follow_up", "answer_ready", "answered"]


def test_a_message_for_an_unknown_code_is_dropped_without_writing(code: str) -> None:
    assert apply_change(change("PGD-0000-0000", "received", 2)) == "applied"
    assert apply_answered(answer_message("PGD-0000-0000")) == "applied"

    assert state(code) == ("submitted", 0, ["submitted"])
    with get_db().sessions() as session:
        assert session.scalar(select(func.count()).select_from(TimelineEntry)) == 1


def test_the_tasks_are_registered_by_name_and_routed_to_the_intake_queue() -> None:
    router = get_celery().amqp.router
    for task in (status_changed, answered):
        assert task.name in (INTAKE_STATUS_TASK, INTAKE_ANSWERED_TASK)
        assert router.route({}, task.name)["queue"].name == "intake"


def test_the_task_validates_the_json_payload_and_applies_it(code: str) -> None:
    msg = change(code, "received", 2)

    result = status_changed.apply(kwargs={"message": msg.model_dump(mode="json")})

    assert result.get() == "applied"
    assert state(code)[0] == "received"
    with get_db().sessions() as session:
        recorded = session.get(ProcessedMessage, str(msg.message_id))
    assert recorded is not None
    assert recorded.task_name == INTAKE_STATUS_TASK
