"""The case record: every change to a case writes an event, in the same transaction.

Events are append-only. Guarding here (ORM) and in the database (triggers) means neither a
code path nor a hand-written SQL statement can rewrite what happened.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Mapper, Session

from services.workflow.models import Case, CaseEvent


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
    case.event_count += 1
    entry = CaseEvent(
        case_id=case.id,
        sequence=case.event_count,
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
    return entry


def events_of(session: Session, case_id: str) -> list[CaseEvent]:
    return list(
        session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.sequence)
        )
    )
