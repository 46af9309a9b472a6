"""To whom each case was disposed: the completions of a step that names staff (the Koordinator's
step 3, ``InputKind.STAFF``) in a range of the Mutu Baku report, read from the record, so a case
disposed twice (returned and disposed again) shows each disposition."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.workflow.cases.disposition import member_label, staff_by_username
from services.workflow.models import Case, CaseEvent
from shared.sop import STEPS, InputKind

COMPLETED = "completed"


@dataclass(frozen=True)
class DispositionRow:
    case_id: str
    tracking_code: str
    step: int
    disposed_at: datetime
    disposed_by: str  # the username
    assignees: tuple[str, ...]  # usernames
    assignee_labels: tuple[str, ...]  # "Rina Kartika (Bidang Perizinan)"
    due_date: date | None


def _naming_fields() -> dict[int, tuple[str, str | None]]:
    """Per step that names staff: its staff field and its date field (if any)."""
    named = {}
    for step in STEPS:
        staff = next((f.name for f in step.inputs if f.kind is InputKind.STAFF), None)
        due = next((f.name for f in step.inputs if f.kind is InputKind.DATE), None)
        if staff is not None:
            named[step.number] = (staff, due)
    return named


def count(session: Session, start: datetime, end: datetime) -> int:
    """How many dispositions ``[start, end)`` holds, from the index alone."""
    fields = _naming_fields()
    if not fields:
        return 0
    return (
        session.scalar(
            select(func.count()).where(
                CaseEvent.kind == COMPLETED,
                CaseEvent.step.in_(fields),
                CaseEvent.occurred_at >= start,
                CaseEvent.occurred_at < end,
            )
        )
        or 0
    )


def dispositions(
    session: Session, start: datetime, end: datetime, *, limit: int | None = None
) -> list[DispositionRow]:
    """The dispositions recorded in ``[start, end)``, oldest first; the first ``limit`` only
    when given (a year of a large desk holds a quarter of a million)."""
    fields = _naming_fields()
    if not fields:
        return []
    # The columns the rows need, not the events whole: a year's dispositions are a year's cases,
    # and building each event (its output decoded too) was most of the report's time.
    rows = session.execute(
        select(
            CaseEvent.case_id,
            CaseEvent.step,
            CaseEvent.occurred_at,
            CaseEvent.actor,
            CaseEvent.input,
            Case.tracking_code,
        )
        .join(Case, Case.id == CaseEvent.case_id)
        .where(
            CaseEvent.kind == COMPLETED,
            CaseEvent.step.in_(fields),
            CaseEvent.occurred_at >= start,
            CaseEvent.occurred_at < end,
        )
        .order_by(CaseEvent.occurred_at, CaseEvent.id)
        .limit(limit)
    ).all()
    found = []
    for event in rows:
        assert event.step is not None  # noqa: S101 - selected on it
        staff_field, due_field = fields[event.step]
        data = event.input or {}
        usernames = tuple(data.get(staff_field) or ())
        due = data.get(due_field) if due_field else None
        found.append(
            (event, event.tracking_code, usernames, date.fromisoformat(due) if due else None)
        )
    members = staff_by_username(session, sorted({u for row in found for u in row[2]}))
    return [
        DispositionRow(
            case_id=event.case_id,
            tracking_code=code,
            step=event.step or 0,  # selected on a step
            disposed_at=event.occurred_at,
            disposed_by=event.actor,
            assignees=usernames,
            assignee_labels=tuple(member_label(u, members.get(u)) for u in usernames),
            due_date=due,
        )
        for event, code, usernames, due in found
    ]
