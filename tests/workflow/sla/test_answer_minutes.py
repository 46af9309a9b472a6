"""The office minutes from filing to each answer, kept on the answer when it is sent
(``sla.answer_minutes``): what the step writes, what ``fill`` (migration 0027, the bench's seed)
gives rows without them, and that the reports read the same figures either way.

The calendar is the default one (Mon-Thu 07:30-12:00 and 13:00-16:00, Friday 07:30-11:30 and
13:00-16:00, WIB); the week of 30 November 2026 has no holiday."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from services.workflow.database import get_db
from services.workflow.models import CaseAnswer, StaffUser
from services.workflow.reports.monthly import monthly_report
from services.workflow.sla.answer_minutes import fill
from services.workflow.sla.report import filing_to_answer
from shared.sop import Role
from tests.support.clock import TestClock
from tests.workflow.sla.sweep_cases import answer_at, file_at, wib

FIRST = date(2026, 12, 1)


def _kept() -> list[float | None]:
    with get_db().sessions() as session:
        return list(session.scalars(select(CaseAnswer.minutes_from_filing).order_by(CaseAnswer.id)))


def test_the_answer_keeps_its_minutes_and_fill_gives_the_same_to_rows_without(
    office_clock: TestClock, staff: dict[Role, StaffUser]
) -> None:
    # Filed Tue 1 Dec 11:50, answered 13:05: 10 + 5 minutes, the rest break left out.
    over_the_break = file_at(office_clock, wib(2026, 12, 1, 11, 50), "PGD-TEST-0001")
    answer_at(office_clock, over_the_break, staff, wib(2026, 12, 1, 13, 5))
    # Filed Fri 4 Dec 11:00, answered Mon 7 Dec 08:00: 30 (Fri to 11:30) + 180 (13:00-16:00)
    # + 30 (Mon 07:30-08:00) = 240.
    over_the_weekend = file_at(office_clock, wib(2026, 12, 4, 11, 0), "PGD-TEST-0002")
    answer_at(office_clock, over_the_weekend, staff, wib(2026, 12, 7, 8, 0))
    assert _kept() == [15.0, 240.0]

    with get_db().sessions() as session:
        kept_total = filing_to_answer(session, wib(2026, 12, 1, 0, 0), wib(2026, 12, 8, 0, 0))
        kept_monthly = monthly_report(session, FIRST, as_of=wib(2026, 12, 31, 0, 0))
    # Rows written before the column (or by SQL): without minutes, the reports count them
    # through the calendar, and ``fill`` gives them the same figure.
    with get_db().transaction() as session:
        session.execute(update(CaseAnswer).values(minutes_from_filing=None))
    with get_db().sessions() as session:
        assert (
            filing_to_answer(session, wib(2026, 12, 1, 0, 0), wib(2026, 12, 8, 0, 0)) == kept_total
        )
        counted = monthly_report(session, FIRST, as_of=wib(2026, 12, 31, 0, 0))
        assert counted.totals == kept_monthly.totals
    assert kept_total.count == 2
    assert kept_total.median_minutes == 127.5  # (15 + 240) / 2
    assert kept_monthly.totals.median_minutes_to_answer == 127.5

    with get_db().engine.begin() as connection:
        assert fill(connection) == 2
        assert fill(connection) == 0  # nothing left without them
    assert _kept() == [15.0, 240.0]
