"""What complainants made of the answers, per month of the answer (office time zone): how many
answers went out, how many were rated and of those how many *puas* (``shared.sop.REOPENING``:
a score above ``unsatisfied_up_to``), and how many answers had their case reopened. Every
answer of a reopened case counts on its own: the second answer is rated and may be reopened
again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from services.workflow.models import CaseAnswer
from shared.sop import REOPENING


@dataclass(frozen=True)
class MonthFigures:
    month: date  # the month's first day
    answered: int
    rated: int
    satisfied: int  # rated *puas*
    reopened: int

    @property
    def satisfied_share(self) -> float | None:
        """*Puas* among the rated answers, 0..1; None when none was rated."""
        return round(self.satisfied / self.rated, 4) if self.rated else None

    @property
    def reopen_rate(self) -> float | None:
        """Reopened among the answers, 0..1; None when none went out."""
        return round(self.reopened / self.answered, 4) if self.answered else None


def per_month(
    session: Session, start: datetime, end: datetime, zone: ZoneInfo
) -> list[MonthFigures]:
    """Each month ``[start, end)`` touches, zeros included, for the answers sent in it."""
    months = _months(start, end, zone)
    # Counted by the database, one row per month: a year's answers never reach Python. Each
    # answer's month is the last month whose start (office time) it is not before.
    starts = [datetime.combine(m, time(0), tzinfo=zone).astimezone(UTC) for m in months]
    index = case(
        *((CaseAnswer.answered_at >= begin, n) for n, begin in reversed(list(enumerate(starts)))),
        else_=0,
    )
    satisfied = CaseAnswer.score > REOPENING.unsatisfied_up_to
    counts: dict[date, list[int]] = {month: [0, 0, 0, 0] for month in months}
    for n, answered, rated, pleased, reopened in session.execute(
        select(
            index,
            func.count(),
            func.count(CaseAnswer.score),
            func.sum(case((satisfied, 1), else_=0)),
            func.count(CaseAnswer.reopened_at),
        )
        .where(CaseAnswer.answered_at >= start, CaseAnswer.answered_at < end)
        .group_by(index)
    ):
        counts[months[n]] = [answered, rated, int(pleased or 0), reopened]
    return [MonthFigures(month, *figures) for month, figures in counts.items()]


def _month_of(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date().replace(day=1)


def _months(start: datetime, end: datetime, zone: ZoneInfo) -> list[date]:
    """The months from ``start``'s to that of the last moment before ``end`` (excluded)."""
    month, last = _month_of(start, zone), _month_of(end - timedelta(microseconds=1), zone)
    months = []
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months
