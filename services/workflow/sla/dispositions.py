"""To whom each case was disposed: the completions of a step that names staff (the Koordinator's
step 3, ``InputKind.STAFF``) in a range of the Mutu Baku report, read from the record, so a case
disposed twice (returned and disposed again) shows each disposition.

A page lists them a page at a time, after a cursor (the last listed one's time and event id,
``Cursor``): the next page reads only its own rows from the index on ``(kind, occurred_at)``,
however far into a year it is, where an offset would read every row before it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from services.workflow.cases.disposition import member_label, staff_by_username
from services.workflow.errors import InvalidReportRange
from services.workflow.models import Case, CaseEvent
from shared.sop import STEPS, InputKind

COMPLETED = "completed"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR = re.compile(r"^(\d{1,18})-(\d{1,18})$")


@dataclass(frozen=True)
class Cursor:
    """Where a page of dispositions ends: the last listed one's time and event id, written in
    a link as ``<microseconds since 1970>-<id>`` (exact, and nothing to escape)."""

    occurred_at: datetime
    event_id: int

    def text(self) -> str:
        micros = (self.occurred_at - EPOCH) // timedelta(microseconds=1)
        return f"{micros}-{self.event_id}"

    @classmethod
    def parse(cls, text: str) -> Cursor:
        match = CURSOR.match(text)
        if match is None:
            raise InvalidReportRange("Kursor halaman disposisi (cursor) tidak valid")
        micros, event_id = (int(g) for g in match.groups())
        try:
            return cls(EPOCH + timedelta(microseconds=micros), event_id)
        except OverflowError:
            raise InvalidReportRange("Kursor halaman disposisi (cursor) tidak valid") from None


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
    event_id: int  # the completion's: with ``disposed_at``, where a page ends (``Cursor``)


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
    session: Session,
    start: datetime,
    end: datetime,
    *,
    limit: int | None = None,
    after: Cursor | None = None,
) -> list[DispositionRow]:
    """The dispositions recorded in ``[start, end)``, oldest first, those after ``after`` only
    when given; the first ``limit`` only when given (a year of a large desk holds a quarter of
    a million)."""
    fields = _naming_fields()
    if not fields:
        return []
    later: tuple[ColumnElement[bool], ...] = ()
    if after is not None:
        # The first condition lets the index start at the cursor; the second is the order's.
        moment, last_id = after.occurred_at, after.event_id
        later = (
            CaseEvent.occurred_at >= moment,
            or_(CaseEvent.occurred_at > moment, and_(CaseEvent.occurred_at == moment,
                                                     CaseEvent.id > last_id)),
        )  # fmt: skip
    # The columns the rows need, not the events whole: a year's dispositions are a year's cases,
    # and building each event (its output decoded too) was most of the report's time.
    rows = session.execute(
        select(
            CaseEvent.id,
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
            *later,
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
            event_id=event.id,
        )
        for event, code, usernames, due in found
    ]
