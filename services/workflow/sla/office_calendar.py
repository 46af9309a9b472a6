"""Office time: the hours the 5-minute standard (Mutu Baku) is counted in.

A complaint filed on Saturday night is due on Monday morning, and a step waiting over the rest
break or a national holiday does not run late meanwhile. Written here because no maintained
library adds "business minutes" over a calendar with several periods a day and a holiday list
(``holidays`` gives the dates, which this uses; ``businesstime``-like packages know one period a
day and no time zones).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from shared.runtime.settings import Settings, get_settings

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
# Farther than any closure an office has (Lebaran with cuti bersama is about two weeks): a
# calendar with no office hours at all fails loudly instead of looping.
MAX_CLOSED_DAYS = 60

Period = tuple[time, time]


@dataclass(frozen=True)
class OfficeCalendar:
    zone: ZoneInfo
    hours: dict[int, tuple[Period, ...]]  # weekday (0 = Monday) -> open periods, in order
    closed_dates: frozenset[date]
    national: holidays.HolidayBase | None
    # Each office day's open periods in UTC, worked out once: a report takes the office minutes
    # of tens of thousands of answers, mostly over the same few hundred days (the holiday
    # lookup and the zone conversions were most of each one's cost). Same values, kept.
    _days: dict[date, tuple[tuple[datetime, datetime], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def is_open_on(self, day: date) -> bool:
        if day in self.closed_dates or not self.hours.get(day.weekday()):
            return False
        return self.national is None or day not in self.national

    def periods_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The open periods (UTC) that end after ``moment``, in order, the first one cut to
        start at ``moment`` if it is open then."""
        moment = _utc(moment)
        day = moment.astimezone(self.zone).date()
        closed_run = 0
        while True:
            periods = self._periods_on(day)
            if periods:
                closed_run = 0
                for opens, closes in periods:
                    if closes > moment:
                        yield max(opens, moment), closes
            else:
                closed_run += 1
                if closed_run > MAX_CLOSED_DAYS:
                    raise ValueError(f"the office is closed for over {MAX_CLOSED_DAYS} days")
            day += timedelta(days=1)

    def _periods_on(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The day's open periods (UTC); none on a closed day."""
        periods = self._days.get(day)
        if periods is None:
            periods = (
                tuple(
                    (_at(day, start, self.zone), _at(day, end, self.zone))
                    for start, end in self.hours[day.weekday()]
                )
                if self.is_open_on(day)
                else ()
            )
            self._days[day] = periods
        return periods

    def add_minutes(self, start: datetime, minutes: float) -> datetime:
        """The moment ``minutes`` of office time after ``start``."""
        left = timedelta(minutes=minutes)
        for opens, closes in self.periods_from(start):
            if closes - opens >= left:
                return opens + left
            left -= closes - opens
        raise AssertionError("unreachable: periods_from never ends")  # pragma: no cover

    def close_of_office_days(self, start: datetime, days: int) -> datetime:
        """The end of the ``days``-th office day after the day of ``start`` (its last period's
        close): a request on Friday with 10 office days is due at closing time two Fridays on,
        weekends, holidays and the office's closed dates not counted."""
        day = _utc(start).astimezone(self.zone).date()
        counted = closed_run = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_open_on(day):
                counted += 1
                closed_run = 0
            else:
                closed_run += 1
                if closed_run > MAX_CLOSED_DAYS:
                    raise ValueError(f"the office is closed for over {MAX_CLOSED_DAYS} days")
        return _at(day, self.hours[day.weekday()][-1][1], self.zone)

    def minutes_between(self, start: datetime, end: datetime) -> float:
        """Office minutes from ``start`` to ``end`` (0 when ``end`` is not after ``start``)."""
        end = _utc(end)
        total = timedelta()
        for opens, closes in self.periods_from(start):
            if opens >= end:
                break
            total += min(closes, end) - opens
        return total.total_seconds() / 60


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("office time needs an aware datetime")
    return moment.astimezone(UTC)


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def parse_periods(text: str) -> tuple[Period, ...]:
    """ "07:30-12:00,13:00-16:00" -> ((07:30, 12:00), (13:00, 16:00)); ordered, not overlapping."""
    periods: list[Period] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = PERIOD.match(part)
        if match is None:
            raise ValueError(f"office hours {part!r}: expected HH:MM-HH:MM")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start, end = time(h1, m1), time(h2, m2)
        if end <= start or (periods and start < periods[-1][1]):
            raise ValueError(f"office hours {text!r}: periods must be in order and not overlap")
        periods.append((start, end))
    return tuple(periods)


def calendar_from(settings: Settings) -> OfficeCalendar:
    unknown = set(settings.office.hours) - set(WEEKDAYS)
    if unknown:
        raise ValueError(f"office hours for unknown weekdays: {sorted(unknown)}")
    country = settings.office.holidays_country
    return OfficeCalendar(
        zone=ZoneInfo(settings.office.timezone),
        hours={
            WEEKDAYS.index(day): parse_periods(text) for day, text in settings.office.hours.items()
        },
        closed_dates=frozenset(settings.office.closed_dates),
        national=holidays.country_holidays(country) if country else None,
    )


_built: dict[int, tuple[Settings, OfficeCalendar]] = {}


def office_calendar() -> OfficeCalendar:
    """The calendar of the running settings, built once per settings object (settings are not
    hashable, so the cache holds the object it was built from)."""
    settings = get_settings()
    built = _built.get(id(settings))
    if built is None or built[0] is not settings:
        built = (settings, calendar_from(settings))
        _built[id(settings)] = built
    return built[1]
