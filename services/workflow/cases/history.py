"""The case record: every change to a case writes an event, in the same transaction.

Events are append-only. Guarding here (ORM) and in the database (triggers) means neither a
code path nor a hand-written SQL statement can rewrite what happened.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Mapper, Session

from services.workflow.models import Case, CaseEvent, StaffUser
from services.workflow.sla import step_totals
from shared.sop import ROLE_LABELS, Role

# Who acts besides staff, as stored in ``case_events.actor`` (stable codes) and as staff read it.
SYSTEM_ACTOR = "sistem"
CITIZEN_ACTOR = "pengadu"
NOTIFIER_ACTOR = "notifier"
ACTOR_NAMES = {
    SYSTEM_ACTOR: "Sistem Pengaduan",
    CITIZEN_ACTOR: "Pengadu",
    NOTIFIER_ACTOR: "Layanan notifikasi",
}


class AppendOnlyViolation(RuntimeError):
    pass


@event.listens_for(CaseEvent, "before_update")
@event.listens_for(CaseEvent, "before_delete")
def _refuse_rewrite(_mapper: Mapper[CaseEvent], _connection: Any, target: CaseEvent) -> None:
    raise AppendOnlyViolation(f"case event {target.id} is part of the record and cannot change")


def record(
    session: Session,
    case: Case,
    kind: str,
    *,
    actor: str,
    occurred_at: datetime,
    step: int | None = None,
    role: str | None = None,
    input: dict[str, Any] | None = None,
    output: dict[str, Any] | None = None,
    minutes_taken: float | None = None,
    standard_minutes: int | None = None,
) -> CaseEvent:
    entry = CaseEvent(
        case_id=case.id,
        sequence=_next_sequence(session, case),
        kind=kind,
        step=step,
        actor=actor,
        role=role,
        occurred_at=occurred_at,
        input=input,
        output=output,
        minutes_taken=minutes_taken,
        standard_minutes=standard_minutes,
        within_standard=None if minutes_taken is None else minutes_taken <= (standard_minutes or 0),
    )
    session.add(entry)
    step_totals.note(session, entry)  # the running totals, at commit
    return entry


def _next_sequence(session: Session, case: Case) -> int:
    """Number the event in SQL, not through the ORM: an ORM write of the counter would bump the
    case's version, so recording a delivery report would make a staff member's simultaneous
    completion fail as if someone else had acted. The row lock of this UPDATE orders writers."""
    if case in session.new:
        session.flush()  # a new case: its row must exist before it is numbered
    # No autoflush: the caller's pending changes to the case are flushed where the caller checks
    # for a concurrent change (StaleDataError), not here.
    with session.no_autoflush:
        return session.execute(
            update(Case)
            .where(Case.id == case.id)
            .values(event_count=Case.event_count + 1)
            .returning(Case.event_count)
            .execution_options(synchronize_session=False)
        ).scalar_one()


def events_of(session: Session, case_id: str) -> list[CaseEvent]:
    return list(
        session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.sequence)
        )
    )


def actor_names(session: Session, events: list[CaseEvent]) -> dict[str, str]:
    """Each actor of ``events`` as staff read it: the system's parts in words, a person by name,
    role and unit if any ("Sri Wahyuni, Kepala Seksi (Kasi)"; "Rina Kartika, Tim Koordinasi
    Perizinan DPMPTSP, Bidang Perizinan"); an account since removed by its username."""
    usernames = {e.actor for e in events} - set(ACTOR_NAMES)
    people = session.scalars(select(StaffUser).where(StaffUser.username.in_(usernames)))
    named = {
        u.username: f"{u.full_name or u.username}, {ROLE_LABELS[Role(u.role)]}"
        + (f", {u.unit}" if u.unit else "")
        for u in people
    }
    return {
        actor: ACTOR_NAMES.get(actor) or named.get(actor, actor)
        for actor in {e.actor for e in events}
    }
