"""Each step's clock in office time: due and warning times set on arrival from the SOP's
standard minutes, and stopped while the office waits for the complainant. Time is driven by the
test clock, never slept through."""

from __future__ import annotations

from datetime import datetime

from services.workflow.cases.history import events_of
from services.workflow.cases.paths import receive_reply, take_path
from services.workflow.cases.steps import arrive, complete_step, receive_complaint
from services.workflow.database import get_db
from services.workflow.models import Case, StaffUser
from shared.messaging.contracts import ComplainantReplyV1, StepHandoffV1
from shared.sop import Role
from tests.support.clock import WIB, TestClock
from tests.workflow.conftest import filed_message


def wib(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=WIB)  # type: ignore[misc]


def case_row(case_id: str) -> Case:
    with get_db().sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case


def file_at(clock: TestClock, moment: datetime) -> str:
    clock.freeze_at(moment)
    with get_db().transaction() as session:
        return receive_complaint(session, filed_message()).id


def test_a_case_arriving_in_office_hours_is_due_five_office_minutes_later(
    configured: dict[str, str], office_clock: TestClock
) -> None:
    case = case_row(file_at(office_clock, wib(2026, 11, 30, 9, 0)))
    assert case.due_at == wib(2026, 11, 30, 9, 5)
    assert case.warn_at == wib(2026, 11, 30, 9, 4)  # 80% of the standard


def test_a_case_arriving_before_a_weekend_and_a_holiday_is_due_after_them(
    configured: dict[str, str], office_clock: TestClock
) -> None:
    # Friday 14 August 2026, 15:58; Monday the 17th is Independence Day.
    case = case_row(file_at(office_clock, wib(2026, 8, 14, 15, 58)))
    assert case.due_at == wib(2026, 8, 18, 7, 33)
    assert case.warn_at == wib(2026, 8, 18, 7, 32)


def test_waiting_for_the_complainant_stops_the_clock(
    configured: dict[str, str], staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = file_at(office_clock, wib(2026, 11, 30, 8, 0))
    with get_db().transaction() as session:
        complete_step(session, case_id=case_id, step_number=1, user=staff[Role.ADMIN], payload={})
    office_clock.set(wib(2026, 11, 30, 9, 0))
    with get_db().transaction() as session:
        arrive(session, StepHandoffV1(case_id=case_id, step=2))
    office_clock.set(wib(2026, 11, 30, 9, 3))  # three minutes at step 2, then the Kasi asks
    with get_db().transaction() as session:
        take_path(
            session,
            case_id=case_id,
            step_number=2,
            name="request_information",
            user=staff[Role.KASI],
            payload={"reason": "Mohon lampirkan nomor permohonan."},
        )
    paused = case_row(case_id)
    assert (paused.due_at, paused.warn_at, paused.minutes_before_pause) == (None, None, 3)

    office_clock.set(wib(2026, 12, 1, 10, 0))  # the reply comes the next day
    with get_db().transaction() as session:
        receive_reply(
            session,
            ComplainantReplyV1(tracking_code="PGD-TEST-0001", message="Nomor: 503/123"),
        )
    resumed = case_row(case_id)
    assert resumed.due_at == wib(2026, 12, 1, 10, 2)  # two minutes were left
    assert resumed.warn_at == wib(2026, 12, 1, 10, 1)

    office_clock.set(wib(2026, 12, 1, 10, 1, 30))
    with get_db().transaction() as session:
        complete_step(
            session,
            case_id=case_id,
            step_number=2,
            user=staff[Role.KASI],
            payload={"verification": "Terverifikasi"},
        )
    with get_db().sessions() as session:
        [done] = [e for e in events_of(session, case_id) if e.kind == "completed" and e.step == 2]
        # Three minutes before the pause, one and a half after: within the standard, although
        # a day passed on the wall clock.
        assert (done.minutes_taken, done.within_standard) == (4.5, True)
