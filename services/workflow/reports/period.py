"""Which month a monthly report is of: the ``YYYY-MM`` a reader asks for, checked, and the
month's bounds in the office's time zone (a complaint filed at 06.00 WIB on the 1st is the new
month's, though it is still the day before in UTC)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from services.workflow.errors import InvalidReportMonth

MONTH_TEXT = re.compile(r"^(\d{4})-(\d{2})$")
# Before any complaint this system could hold; also keeps the month's bounds inside datetime's
# range in every time zone (0001-01 in WIB starts in year 0 in UTC).
FIRST_YEAR = 2000


def parse_month(text: str, *, today: date) -> date:
    """``2026-11`` -> 1 November 2026. A month after ``today``'s (the office's date) has no
    complaints yet: refused, as is any other spelling."""
    match = MONTH_TEXT.match(text.strip())
    month = None
    if match is not None:
        year, number = int(match.group(1)), int(match.group(2))
        if 1 <= number <= 12 and year >= FIRST_YEAR:
            month = date(year, number, 1)
    if month is None:
        raise InvalidReportMonth(
            f"Bulan laporan tidak valid: {text[:20]!r}; gunakan format TTTT-BB, misalnya 2026-11"
        )
    if month > today.replace(day=1):
        raise InvalidReportMonth(
            f"Bulan {month:%Y-%m} belum tiba; laporan bulanan hanya untuk bulan ini atau "
            "bulan yang sudah lewat"
        )
    return month


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_bounds(month: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The month's first moment and the next month's (excluded), aware, in UTC."""
    start = datetime(month.year, month.month, 1, tzinfo=zone)
    following = next_month(month)
    end = datetime(following.year, following.month, 1, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def current_month(now: datetime, zone: ZoneInfo) -> date:
    return now.astimezone(zone).date().replace(day=1)
