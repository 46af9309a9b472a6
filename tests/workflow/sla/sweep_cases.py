"""Cases moved through the steps at the test clock's moments, the sweep run at a given moment,
and what it sent and recorded: the helpers of the Mutu Baku sweep's tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from services.workflow.cases.history import events_of
from services.workflow.cases.paths import take_path
from services.workflow.cases.steps import arrive, complete_step, receive_complaint
from services.workflow.database import get_db
from services.workflow.models import Case, StaffUser
from services.workflow.sla.sweep import SweepResult, sweep
from shared.messaging.contracts import NOTIFY_TASK, NotificationKind, StepHandoffV1
from shared.sop import Role
from tests.support.clock import WIB, TestClock
from tests.support.outbox import queued_payloads
from tests.workflow.conftest import filed_message

STEP_INPUTS: dict[int, dict[str, Any]] = {
    1: {},
    2: {"verification": "Terverifikasi: izin belum terbit"},
    3: {
        "disposition": "Koordinasikan dengan bidang perizinan",
        "assignees": ["petugas_tim_koordinasi"],
    },
    4: {"answer": "Izin Anda terbit hari ini."},
}
HEAD_OF_OFFICE = ["kadis@dpmptsp.example.id", "sekdin@dpmptsp.example.id"]


def wib(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=WIB)  # type: ignore[misc]


def stored(moment: datetime) -> str:
    """A moment as the case record writes it (UTC)."""
    return moment.astimezone(UTC).isoformat()


def email_of(role: Role) -> str:
    return f"{role.value}@dpmptsp.example.id"


def file_at(clock: TestClock, moment: datetime, code: str = "PGD-TEST-0001") -> str:
    clock.freeze_at(moment)
    with get_db().transaction() as session:
        return receive_complaint(session, filed_message(code)).id


def move_to(clock: TestClock, case_id: str, staff: dict[Role, StaffUser], step: int) -> None:
    """Complete the steps before ``step`` at the clock's moment; the case arrives at ``step``."""
    with get_db().sessions() as session:
        current = session.get(Case, case_id).current_step  # type: ignore[union-attr]
    assert current is not None
    for number in range(current, step):
        with get_db().transaction() as session:
            user = session.get(StaffUser, staff[_role_of(number)].id)
            complete_step(
                session,
                case_id=case_id,
                step_number=number,
                user=user,
                payload=STEP_INPUTS[number],
            )
        with get_db().transaction() as session:
            arrive(session, StepHandoffV1(case_id=case_id, step=number + 1))


def answer_at(
    clock: TestClock, case_id: str, staff: dict[Role, StaffUser], moment: datetime
) -> None:
    """Take the case from where it waits through step 5, completed at ``moment``: the answer
    goes out."""
    move_to(clock, case_id, staff, 5)
    clock.freeze_at(moment)
    with get_db().transaction() as session:
        complete_step(
            session,
            case_id=case_id,
            step_number=5,
            user=session.get(StaffUser, staff[Role.ADMIN].id),
            payload={},
        )


def _role_of(number: int) -> Role:
    return {1: Role.ADMIN, 2: Role.KASI, 3: Role.KOORDINATOR, 4: Role.TIM_KOORDINASI}[number]


def ask_for_information(case_id: str, staff: dict[Role, StaffUser]) -> None:
    """The Kasi asks the complainant for kelengkapan data at the clock's moment: the step's
    clock stops until the reply."""
    with get_db().transaction() as session:
        take_path(
            session,
            case_id=case_id,
            step_number=2,
            name="request_information",
            user=session.get(StaffUser, staff[Role.KASI].id),
            payload={"reason": "Mohon lampirkan nomor permohonan."},
        )


def run_sweep(now: datetime) -> SweepResult:
    with get_db().transaction() as session:
        return sweep(session, now)


def sent(kind: NotificationKind) -> list[dict[str, Any]]:
    return [m for m in queued_payloads(get_db(), NOTIFY_TASK) if m["kind"] == kind]


def recipients(kind: NotificationKind) -> list[str]:
    return sorted(m["recipient"]["email"] for m in sent(kind))


def breaches(case_id: str) -> list[Any]:
    with get_db().sessions() as session:
        return [e for e in events_of(session, case_id) if e.kind == "breached"]


def case_row(case_id: str) -> Case:
    with get_db().sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case
