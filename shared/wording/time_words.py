"""Dates and times as people read them, one way on every page, console, email, SMS and report:
``6 Desember 2026, 22.32 WIB`` and ``6 Desember 2026``. Machines get ISO 8601 instead (the API's
fields, ``<time datetime>``, the CSV's file name).

Madiun keeps Western Indonesia Time (WIB), UTC+7, with no daylight saving. The office's zone is a
setting (``PENGADUAN_OFFICE_TIMEZONE``, ``Asia/Jakarta``); a caller holding it passes it, and the
zone's own abbreviation is written ("WIB" for ``Asia/Jakarta``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

WIB = timezone(timedelta(hours=7), "WIB")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def day_words(day: date) -> str:
    """``6 Desember 2026``: a day, with the month's Indonesian name."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_words(month: date) -> str:
    """ "Desember 2026": a month of a report."""
    return f"{MONTHS[month.month - 1]} {month.year}"


def time_words(moment: datetime, zone: tzinfo = WIB) -> str:
    """``6 Desember 2026, 22.32 WIB``: a moment in the office's clock. A naive moment is UTC, as
    the databases store it."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = aware.astimezone(zone)
    return f"{day_words(local.date())}, {local:%H.%M} {local.tzname() or 'WIB'}"


def local_day(moment: datetime, zone: tzinfo = WIB) -> str:
    """``6 Desember 2026``: the office's day of a moment."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return day_words(aware.astimezone(zone).date())
