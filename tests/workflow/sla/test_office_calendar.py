"""Office time, against dates worked out by hand on the 2026 calendar (Asia/Jakarta, UTC+7)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from services.workflow.sla.office_calendar import calendar_from, parse_periods
from shared.runtime.settings import Settings

WIB = ZoneInfo("Asia/Jakarta")


def wib(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=WIB)  # type: ignore[misc]


CALENDAR = calendar_from(Settings(office={"closed_dates": [date(2026, 12, 24)]}))


@pytest.mark.parametrize(
    ("start", "due", "why"),
    [
        (wib(2026, 11, 30, 9, 0), wib(2026, 11, 30, 9, 5), "a Monday morning"),
        (wib(2026, 11, 30, 11, 58), wib(2026, 11, 30, 13, 3), "across the rest break"),
        (wib(2026, 12, 4, 11, 28), wib(2026, 12, 4, 13, 3), "Friday's longer break"),
        (wib(2026, 12, 4, 15, 58), wib(2026, 12, 7, 7, 33), "Friday afternoon to Monday"),
        (wib(2026, 11, 28, 22, 0), wib(2026, 11, 30, 7, 35), "filed on Saturday night"),
        (wib(2026, 11, 30, 6, 0), wib(2026, 11, 30, 7, 35), "before opening"),
        # Monday 17 August 2026 is Independence Day: Friday's case is due on Tuesday.
        (wib(2026, 8, 14, 15, 58), wib(2026, 8, 18, 7, 33), "over a weekend and a holiday"),
        # 24 December closed by the office, 25 December Christmas.
        (wib(2026, 12, 23, 15, 59), wib(2026, 12, 28, 7, 34), "an office closure"),
    ],
)
def test_five_office_minutes_fall_where_the_office_is_open(
    start: datetime, due: datetime, why: str
) -> None:
    assert CALENDAR.add_minutes(start, 5) == due, why
    assert CALENDAR.minutes_between(start, due) == pytest.approx(5), why


def test_minutes_between_counts_office_time_only() -> None:
    # Friday 15:00 to Monday 08:00: 60 minutes on Friday, 30 on Monday.
    assert CALENDAR.minutes_between(wib(2026, 12, 4, 15, 0), wib(2026, 12, 7, 8, 0)) == 90
    assert CALENDAR.minutes_between(wib(2026, 12, 5, 9, 0), wib(2026, 12, 6, 9, 0)) == 0
    assert CALENDAR.minutes_between(wib(2026, 12, 7, 9, 0), wib(2026, 12, 7, 8, 0)) == 0


def test_office_hours_must_be_well_formed() -> None:
    assert parse_periods("07:30-12:00, 13:00-16:00") == parse_periods("07:30-12:00,13:00-16:00")
    for bad in ("7-12", "12:00-07:30", "07:30-12:00,11:00-16:00"):
        with pytest.raises(ValueError, match="office hours"):
            parse_periods(bad)
    with pytest.raises(ValueError, match="unknown weekdays"):
        calendar_from(Settings(office={"hours": {"senin": "07:30-16:00"}}))


def test_a_calendar_that_never_opens_fails_instead_of_looping() -> None:
    closed = calendar_from(Settings(office={"hours": {}}))
    with pytest.raises(ValueError, match="closed for over"):
        closed.add_minutes(wib(2026, 11, 30, 9, 0), 5)
