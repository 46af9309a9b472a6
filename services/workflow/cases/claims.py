"""Who holds a case. A role's worklist is shared; one of its staff may claim a case so the others
see it is taken, and release it again. Completing a step needs the role, not the claim, unless
someone else holds the case (``ensure_may_act``). A claim is for one step: it ends when the case
moves on (``clear_claim``).

Plain functions taking a ``Session``: they flush, the caller commits.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from services.workflow.cases.history import record
from services.workflow.cases.search import get_case
from services.workflow.errors import CaseNotWaiting, ConcurrentChange, HeldByOther, WrongRole
from services.workflow.models import Case, StaffUser
from services.workflow.sla import clock
from services.workflow.sla.notes import office_time
from services.workflow.staff.accounts import get_by_username
from shared.sop import ROLE_LABELS, STEP_BY_NUMBER, Role, Step


def claim(session: Session, case_id: str, user: StaffUser) -> Case:
    """``user`` holds the case at its current step. Claiming one's own claim again changes
    nothing; a claim of a deactivated account may be taken over, so no case stays stuck."""
    case = get_case(session, case_id)
    step = _waiting_step(case, user)
    if case.held_by == user.username:
        return case
    previous = case.held_by
    if previous is not None and _is_active(session, previous):
        raise HeldByOther(_held_message(case))
    now = clock.now()
    case.held_by = user.username
    case.held_at = now
    output: dict[str, str] = {"held_by": user.username}
    if previous is not None:
        output["taken_over_from"] = previous
    record(
        session,
        case,
        "claimed",
        step=step.number,
        role=step.role.value,
        actor=user.username,
        occurred_at=now,
        output=output,
    )
    _flush(session, case)
    return case


def release(session: Session, case_id: str, user: StaffUser) -> Case:
    """The holder lets the case go back to the role's shared worklist. Releasing a case nobody
    holds changes nothing (a repeated click is harmless)."""
    case = get_case(session, case_id)
    if case.held_by is None:
        return case
    ensure_may_act(case, user)
    held_since = case.held_at
    clear_claim(case)
    record(
        session,
        case,
        "released",
        step=case.current_step,
        role=user.role,
        actor=user.username,
        occurred_at=clock.now(),
        input={"held_since": held_since.isoformat()} if held_since else None,
    )
    _flush(session, case)
    return case


def ensure_may_act(case: Case, user: StaffUser) -> None:
    """``HeldByOther`` (409) when someone other than ``user`` holds the case."""
    if case.held_by is not None and case.held_by != user.username:
        raise HeldByOther(_held_message(case))


def clear_claim(case: Case) -> None:
    """End the claim; called when the case leaves its step (the next step's role claims anew)."""
    case.held_by = None
    case.held_at = None


def _waiting_step(case: Case, user: StaffUser) -> Step:
    """The step the case waits at, if ``user``'s role may hold it there."""
    if case.current_step is None:
        raise CaseNotWaiting(
            f"Laporan pengaduan {case.tracking_code} tidak sedang menunggu di langkah mana pun"
        )
    step = STEP_BY_NUMBER[case.current_step]
    if user.role != step.role.value:
        raise WrongRole(
            f"Laporan pengaduan {case.tracking_code} ada di langkah {step.number}, tugas "
            f"{ROLE_LABELS[step.role]}, bukan {ROLE_LABELS[Role(user.role)]}"
        )
    if case.step_arrived_at is None:
        raise CaseNotWaiting(
            f"Laporan pengaduan {case.tracking_code} belum tiba di langkah {step.number}"
        )
    return step


def _held_message(case: Case) -> str:
    since = f" sejak {office_time(case.held_at)}" if case.held_at else ""
    return (
        f"Laporan pengaduan {case.tracking_code} sedang ditangani oleh {case.held_by}{since}; "
        f"hanya {case.held_by} yang dapat memprosesnya sampai dilepas"
    )


def _is_active(session: Session, username: str) -> bool:
    holder = get_by_username(session, username)
    return holder is not None and holder.active


def _flush(session: Session, case: Case) -> None:
    # Read before flushing: a failed flush expires the case, and its transaction is gone.
    code = case.tracking_code
    try:
        session.flush()
    except StaleDataError as exc:
        # Someone claimed, released or moved the case between our read and our write.
        raise ConcurrentChange(
            f"Laporan pengaduan {code} baru saja diubah oleh petugas lain; muat ulang dan coba lagi"
        ) from exc
