"""The SOP logic, called directly against a real database."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from services.workflow.cases import claims
from services.workflow.cases.history import AppendOnlyViolation, events_of
from services.workflow.cases.steps import arrive, complete_step, receive_complaint, worklist
from services.workflow.database import get_db
from services.workflow.errors import HeldByOther, MissingInput, StepOutOfOrder, WrongRole
from services.workflow.models import Case, CaseEvent, StaffUser
from services.workflow.staff.accounts import create_user
from shared.database.shared_tables import OutboxMessage
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import NOTIFY_TASK, StepHandoffV1
from shared.sop import STEPS, Role, step
from tests.support.outbox import opened
from tests.workflow.conftest import filed_message

INPUTS = {
    1: {"note": "Diterima lengkap"},
    2: {"verification": "Terverifikasi"},
    3: {
        "disposition": "Tindak lanjuti bersama bidang perizinan",
        "assignees": ["petugas_tim_koordinasi"],
    },
    4: {"answer": "Izin Anda terbit hari ini."},
    5: {},
}


def _complete(case_id: str, number: int, user: StaffUser, payload: dict | None = None) -> None:
    with get_db().transaction() as session:
        complete_step(
            session,
            case_id=case_id,
            step_number=number,
            user=user,
            payload=INPUTS[number] if payload is None else payload,
        )


def _deliver_handoff(case_id: str, number: int) -> None:
    with get_db().transaction() as session:
        arrive(session, StepHandoffV1(case_id=case_id, step=number))


def _outbox(task: str) -> list[OutboxMessage]:
    with get_db().sessions() as session:
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.task_name == task)))


def test_filed_complaint_waits_on_the_admin_worklist(case_at_step_1: Case) -> None:
    with get_db().sessions() as session:
        assert [c.id for c in worklist(session, Role.ADMIN)] == [case_at_step_1.id]
        assert worklist(session, Role.KASI) == []
        case = session.get(Case, case_at_step_1.id)
        assert case is not None and case.due_at is not None and case.step_arrived_at is not None
        assert (case.due_at - case.step_arrived_at).total_seconds() == 5 * 60
    status_updates = _outbox("intake.complaint.status_changed")
    assert [row.payload["status"] for row in status_updates] == ["received"]


def test_the_same_complaint_delivered_twice_makes_one_case(configured: dict) -> None:
    message = filed_message("PGD-DUPL-0001")
    for _ in range(2):
        consume_once(get_db(), step(1).arrive_task, message, receive_complaint)
    with get_db().sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1
        assert session.scalar(select(func.count()).select_from(CaseEvent)) == 2  # filed, arrived


def test_kasi_cannot_complete_the_admins_step(case_at_step_1: Case, staff: dict) -> None:
    with pytest.raises(WrongRole):
        _complete(case_at_step_1.id, 1, staff[Role.KASI])
    with get_db().sessions() as session:
        assert session.get(Case, case_at_step_1.id).current_step == 1  # type: ignore[union-attr]


def test_a_step_ahead_of_the_case_is_out_of_order(case_at_step_1: Case, staff: dict) -> None:
    with pytest.raises(StepOutOfOrder):
        _complete(case_at_step_1.id, 2, staff[Role.KASI])


def test_a_step_before_its_handoff_arrived_is_out_of_order(
    case_at_step_1: Case, staff: dict
) -> None:
    _complete(case_at_step_1.id, 1, staff[Role.ADMIN])
    with pytest.raises(StepOutOfOrder, match="belum tiba"):
        _complete(case_at_step_1.id, 2, staff[Role.KASI])


def test_missing_verification_is_refused_and_changes_nothing(
    case_at_step_1: Case, staff: dict
) -> None:
    _complete(case_at_step_1.id, 1, staff[Role.ADMIN])
    _deliver_handoff(case_at_step_1.id, 2)
    with get_db().sessions() as session:
        before = len(events_of(session, case_at_step_1.id))
    for payload in ({}, {"verification": "   "}, {"verification": "ok", "extra": "x"}):
        with pytest.raises(MissingInput):
            _complete(case_at_step_1.id, 2, staff[Role.KASI], payload)
    with get_db().sessions() as session:
        assert len(events_of(session, case_at_step_1.id)) == before


def test_completing_twice_is_refused(case_at_step_1: Case, staff: dict) -> None:
    _complete(case_at_step_1.id, 1, staff[Role.ADMIN])
    with pytest.raises(StepOutOfOrder):
        _complete(case_at_step_1.id, 1, staff[Role.ADMIN])
    assert len(_outbox(step(2).arrive_task)) == 1


def test_a_repeated_handoff_does_not_restart_the_clock(case_at_step_1: Case, staff: dict) -> None:
    _complete(case_at_step_1.id, 1, staff[Role.ADMIN])
    _deliver_handoff(case_at_step_1.id, 2)
    with get_db().sessions() as session:
        first = session.get(Case, case_at_step_1.id).step_arrived_at  # type: ignore[union-attr]
    _deliver_handoff(case_at_step_1.id, 2)
    with get_db().sessions() as session:
        assert session.get(Case, case_at_step_1.id).step_arrived_at == first  # type: ignore[union-attr]
        arrivals = [e for e in events_of(session, case_at_step_1.id) if e.kind == "arrived"]
        assert len(arrivals) == 2  # step 1 and step 2, once each


def test_all_five_steps_record_who_what_and_minutes(case_at_step_1: Case, staff: dict) -> None:
    for sop_step in STEPS:
        if sop_step.number > 1:
            _deliver_handoff(case_at_step_1.id, sop_step.number)
        _complete(case_at_step_1.id, sop_step.number, staff[sop_step.role])
    with get_db().sessions() as session:
        case = session.get(Case, case_at_step_1.id)
        assert case is not None and case.status == "answered" and case.current_step is None
        completed = [e for e in events_of(session, case.id) if e.kind == "completed"]
    assert [e.step for e in completed] == [1, 2, 3, 4, 5]
    assert [e.actor for e in completed] == [staff[s.role].username for s in STEPS]
    assert completed[3].input == {"answer": "Izin Anda terbit hari ini."}
    assert all(e.standard_minutes == 5 and e.minutes_taken is not None for e in completed)
    assert all(e.within_standard for e in completed)
    notifications = _outbox(NOTIFY_TASK)
    # The complainant hears that the laporan was registered, that the Kasi verified it, then
    # the answer.
    assert sorted(n.payload["kind"] for n in notifications) == ["answer", "registered", "verified"]
    [answer] = [n for n in notifications if n.payload["kind"] == "answer"]
    assert answer.payload["answer"] == "Izin Anda terbit hari ini."
    assert opened(answer.payload)["recipient"]["email"] == "siti@example.id"


def test_the_record_cannot_be_rewritten_through_the_orm(case_at_step_1: Case) -> None:
    with pytest.raises(AppendOnlyViolation), get_db().transaction() as session:
        session.scalars(select(CaseEvent)).first().actor = "someone else"  # type: ignore[union-attr]
    with pytest.raises(AppendOnlyViolation), get_db().transaction() as session:
        session.delete(session.scalars(select(CaseEvent)).first())


def test_the_record_cannot_be_rewritten_in_sql(case_at_step_1: Case) -> None:
    for statement in ("UPDATE case_events SET actor = 'x'", "DELETE FROM case_events"):
        with pytest.raises(DBAPIError, match="append-only"), get_db().transaction() as session:
            session.execute(text(statement))
    with get_db().sessions() as session:
        assert {e.actor for e in events_of(session, case_at_step_1.id)} == {"pengadu", "sistem"}


def test_two_people_completing_the_same_step_at_once_complete_it_once(
    case_at_step_1: Case, staff: dict
) -> None:
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        barrier.wait()
        try:
            _complete(case_at_step_1.id, 1, staff[Role.ADMIN])
            outcomes.append("completed")
        except StepOutOfOrder:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["completed", "refused"]
    with get_db().sessions() as session:
        completed = [e for e in events_of(session, case_at_step_1.id) if e.kind == "completed"]
    assert len(completed) == 1
    assert len(_outbox(step(2).arrive_task)) == 1


def test_a_case_held_by_a_colleague_cannot_be_completed_but_moves_on_free(
    case_at_step_1: Case, staff: dict
) -> None:
    colleague = staff[Role.ADMIN]
    with get_db().transaction() as session:
        other = create_user(session, username="admin_kedua", password="x" * 12, role=Role.ADMIN)
        claims.claim(session, case_at_step_1.id, colleague)
    with pytest.raises(HeldByOther):
        _complete(case_at_step_1.id, 1, other)
    _complete(case_at_step_1.id, 1, colleague)  # the holder may
    with get_db().sessions() as session:
        assert session.get(Case, case_at_step_1.id).held_by is None  # type: ignore[union-attr]
