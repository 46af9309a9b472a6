"""The office minutes from filing to each answer, worked out once when the answer is sent and
kept on its ``case_answers`` row (``minutes_from_filing``).

Why: the Mutu Baku report's total and the monthly report's median time to answer are these
minutes, and working them out per answer through the office calendar at every reading cost a
year's report 18 s at 500,000 cases. The filing time and the answer's time never change, so
the figure does not either; the calendar it was counted with is the one in force when the
answer went out (a holiday added later does not rewrite what the office reported then).

``fill`` gives the rows written before the column (migration 0027) or in SQL (the bench's seed)
the same figure, through the same function, a batch at a time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Float, Integer, String, bindparam, column, select, table, update

from services.workflow.sla.office_calendar import office_calendar
from shared.database.engine import UTCDateTime

BATCH = 5000  # rows read and written at a time by ``fill``

# The columns ``fill`` reads and writes, named here (not through the models) so that migration
# 0027 keeps working whatever the models become.
_ANSWERS = table(
    "case_answers",
    column("id", Integer),
    column("case_id", String),
    column("answered_at", UTCDateTime),
    column("minutes_from_filing", Float),
)
_CASES = table("cases", column("id", String), column("filed_at", UTCDateTime))


def minutes_from_filing(filed_at: datetime, answered_at: datetime) -> float:
    """Office minutes from filing to the answer, to the hundredth (as the reports show them)."""
    return round(office_calendar().minutes_between(filed_at, answered_at), 2)


def fill(connection: Connection) -> int:
    """Every answer without its minutes gets them; returns how many did. Batches by id, so a
    large record is neither held in memory nor written in one statement per row round trip."""
    filled = 0
    last_id = 0
    write = (
        update(_ANSWERS)
        .where(_ANSWERS.c.id == bindparam("answer_id"))
        .values(minutes_from_filing=bindparam("minutes"))
    )
    while True:
        rows = connection.execute(
            select(_ANSWERS.c.id, _CASES.c.filed_at, _ANSWERS.c.answered_at)
            .join(_CASES, _CASES.c.id == _ANSWERS.c.case_id)
            .where(_ANSWERS.c.id > last_id, _ANSWERS.c.minutes_from_filing.is_(None))
            .order_by(_ANSWERS.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return filled
        connection.execute(
            write,
            [
                {"answer_id": r.id, "minutes": minutes_from_filing(r.filed_at, r.answered_at)}
                for r in rows
            ],
        )
        filled += len(rows)
        last_id = rows[-1].id
