"""The record's running totals per step and role (``models.StepTotal``), kept exact: each
completion or breach the record gets is added to them in the same transaction, at its commit.

Why at the commit and not at each event: a row per step and role is a lock every completing
transaction takes. Taken last, after every case row the transaction locks, and in one order
(sorted by step and role), two transactions can never wait for each other in a circle, and the
lock is held only for the commit. An event written inside a savepoint that rolled back is no
longer in the session by then and is not counted; a transaction that rolls back counts nothing.

``from_history`` counts the same figures from the record itself: what migration 0024 filled
the table with, what the seed of the bench writes, and what a test compares the totals with.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Select,
    Table,
    case,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.workflow.models import CaseEvent, StepTotal
from shared.sop import STEP_BY_NUMBER, STEPS

COMPLETED = "completed"
BREACHED = "breached"
# The metrics histogram's bounds in office minutes: around the 5-minute standard finely, then up
# to a whole office day (480). Each is a column of ``step_totals``.
BUCKETS: tuple[int, ...] = (1, 2, 3, 5, 10, 15, 30, 60, 120, 480)
BUCKET_COLUMNS = tuple(f"at_most_{bound}" for bound in BUCKETS)
COUNTED = (COMPLETED, BREACHED)
_PENDING = "step_totals.pending"
TABLE = cast(Table, StepTotal.__table__)

StepKey = tuple[int, str]


def note(session: Session, entry: CaseEvent) -> None:
    """``entry`` was just added to the record: count it when the transaction commits."""
    if entry.kind in COUNTED:
        session.info.setdefault(_PENDING, []).append(entry)


def _role_of_breach(step: int, recorded: str | None) -> str | None:
    """A breach recorded without a role counts for the role the SOP gives the step."""
    sop_step = STEP_BY_NUMBER.get(step)
    return recorded or (sop_step.role.value if sop_step else None)


def _deltas(entries: Iterable[CaseEvent]) -> dict[StepKey, dict[str, Any]]:
    found: dict[StepKey, dict[str, Any]] = {}
    for entry in entries:
        if entry.step is None:
            continue
        if entry.kind == COMPLETED and entry.role is not None and entry.minutes_taken is not None:
            row = found.setdefault((entry.step, entry.role), _zero())
            row["completions"] += 1
            row["minutes_total"] += entry.minutes_taken
            for bound, column in zip(BUCKETS, BUCKET_COLUMNS, strict=True):
                row[column] += int(entry.minutes_taken <= bound)
        elif entry.kind == BREACHED:
            role = _role_of_breach(entry.step, entry.role)
            if role is not None:
                found.setdefault((entry.step, role), _zero())["breaches"] += 1
    return found


def _zero() -> dict[str, Any]:
    return {
        "completions": 0,
        "minutes_total": 0.0,
        "breaches": 0,
        **dict.fromkeys(BUCKET_COLUMNS, 0),
    }


@event.listens_for(Session, "before_commit")
def _add_at_commit(session: Session) -> None:
    if session.in_nested_transaction() or not session.info.get(_PENDING):
        return
    session.flush()  # the events themselves first: only those written are counted
    entries = session.info.pop(_PENDING, [])
    kept = [e for e in entries if inspect(e).persistent]  # a rolled-back savepoint's are not
    dialect = session.get_bind().dialect.name
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for (step, role), figures in sorted(_deltas(kept).items()):
        table = TABLE.c
        statement = upsert(TABLE).values(step=step, role=role, **figures)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[table.step, table.role],
                set_={name: table[name] + statement.excluded[name] for name in figures},
            )
        )


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost: committed (counted) or rolled back
        session.info.pop(_PENDING, None)


def totals(session: Session) -> dict[StepKey, StepTotal]:
    return {(row.step, row.role): row for row in session.scalars(select(StepTotal))}


def from_history(session: Session) -> dict[StepKey, dict[str, Any]]:
    """The same figures counted from the whole record (slow at scale: a check, not a read)."""
    return {
        (row.step, row.role): {k: v for k, v in row._mapping.items() if k not in ("step", "role")}
        for row in session.execute(history_select())
    }


def refill(connection: Connection) -> None:
    """Totals made anew from the record: for rows written in SQL (the bench's seed), not
    through ``history.record``."""
    connection.execute(delete(TABLE))
    chosen = history_select()
    connection.execute(insert(TABLE).from_select([c.name for c in chosen.selected_columns], chosen))


def history_select() -> Select[Any]:
    """One row per step and role as the totals hold it, counted from ``case_events``."""
    minutes = CaseEvent.minutes_taken
    sop_role = case(
        *((CaseEvent.step == s.number, literal(s.role.value)) for s in STEPS), else_=None
    )
    completions = select(
        CaseEvent.step.label("step"),
        CaseEvent.role.label("role"),
        literal(1).label("completion"),
        minutes.label("minutes"),
        literal(0).label("breach"),
    ).where(
        CaseEvent.kind == COMPLETED,
        minutes.is_not(None),
        CaseEvent.step.is_not(None),
        CaseEvent.role.is_not(None),
    )
    breaches = select(
        CaseEvent.step,
        func.coalesce(CaseEvent.role, sop_role),
        literal(0),
        literal(None),
        literal(1),
    ).where(CaseEvent.kind == BREACHED, CaseEvent.step.is_not(None))
    both = union_all(completions, breaches).subquery()
    at_most = [
        func.sum(case((both.c.minutes <= bound, 1), else_=0)).label(column)
        for bound, column in zip(BUCKETS, BUCKET_COLUMNS, strict=True)
    ]
    return (
        select(
            both.c.step,
            both.c.role,
            func.sum(both.c.completion).label("completions"),
            func.coalesce(func.sum(both.c.minutes), 0.0).label("minutes_total"),
            *at_most,
            func.sum(both.c.breach).label("breaches"),
        )
        .where(both.c.role.is_not(None))
        .group_by(both.c.step, both.c.role)
    )
