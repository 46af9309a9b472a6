"""The Mutu Baku report: how long each SOP step took against its standard over a range of
office dates, how often the standard was breached, and the whole way from filing to answer.

Every figure is office minutes (``office_calendar``), as the step clock counts them. Percentiles
use linear interpolation between closest ranks, the definition of
``statistics.quantiles(method="inclusive")``, numpy's default and a spreadsheet's
PERCENTILE.INC, for the median and p90 alike; written out here because ``statistics.quantiles``
refuses a single value on Python 3.11 and a range with one completion is ordinary.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from services.workflow.errors import InvalidReportRange
from services.workflow.models import Case, CaseAnswer, CaseEvent
from services.workflow.sla import dispositions as disposition_rows
from services.workflow.sla.answer_minutes import minutes_from_filing
from services.workflow.sla.dispositions import Cursor, DispositionRow
from services.workflow.sla.satisfaction import MonthFigures, per_month
from shared.runtime.settings import get_settings
from shared.sop import ROLE_LABELS, STEP_BY_NUMBER, STEPS, Role, total_standard_minutes

COMPLETED = "completed"
BREACHED = "breached"
MAX_RANGE_DAYS = 366
# The dispositions a page (the API's JSON, the console) lists; the CSV lists all of them.
DISPOSITIONS_SHOWN = 500
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIELD_NAMES = {"from": "awal (from)", "to": "akhir (to)"}

StepKey = tuple[int, str]


@dataclass(frozen=True)
class ReportRange:
    """Office dates, both included, read in the office's time zone."""

    first_day: date
    last_day: date

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The UTC moments from the first day's midnight to the midnight after the last day
        (excluded)."""
        start = datetime.combine(self.first_day, time(0), tzinfo=zone)
        end = datetime.combine(self.last_day + timedelta(days=1), time(0), tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)


@dataclass(frozen=True)
class Durations:
    count: int
    median_minutes: float | None
    p90_minutes: float | None
    within_standard_share: float | None  # 0..1; None when nothing was counted


@dataclass(frozen=True)
class StepFigures:
    step: int
    role: str
    standard_minutes: int | None
    durations: Durations
    breaches: int


@dataclass(frozen=True)
class SlaReport:
    range: ReportRange
    timezone: str
    steps: list[StepFigures]
    total_standard_minutes: int
    total: Durations  # filing to answer, of the cases answered in the range
    dispositions: list[DispositionRow] = field(default_factory=list)  # to whom, in the range
    dispositions_total: int = 0  # in the range; ``dispositions`` may hold only a page of them
    dispositions_next: str | None = None  # the next page's cursor (``Cursor.text``), if any
    # Per month of the answer: the *puas* share of the rated answers and the reopen rate.
    satisfaction: list[MonthFigures] = field(default_factory=list)


def parse_range(first: str, last: str) -> ReportRange:
    """``from`` and ``to`` as a client sends them; ``InvalidReportRange`` says what is wrong."""
    first_day, last_day = _parse_date(first, "from"), _parse_date(last, "to")
    if last_day < first_day:
        raise InvalidReportRange("Tanggal akhir (to) tidak boleh sebelum tanggal awal (from)")
    if (last_day - first_day).days + 1 > MAX_RANGE_DAYS:
        raise InvalidReportRange(f"Rentang laporan paling panjang {MAX_RANGE_DAYS} hari")
    return ReportRange(first_day, last_day)


def _parse_date(text: str, field: str) -> date:
    # date.fromisoformat also takes "20260302" and week dates; one spelling keeps CSV names and
    # links unambiguous.
    parsed = None
    if ISO_DATE.match(text):
        try:
            parsed = date.fromisoformat(text)
        except ValueError:  # 2026-02-30
            parsed = None
    if parsed is None:
        raise InvalidReportRange(
            f"Tanggal {FIELD_NAMES[field]} tidak valid: gunakan format TTTT-BB-HH, "
            "misalnya 2026-03-02"
        )
    return parsed


def sla_report(
    session: Session,
    report_range: ReportRange,
    *,
    dispositions_shown: int | None = None,
    after: Cursor | None = None,
) -> SlaReport:
    """The report of ``report_range``; with ``dispositions_shown``, only that many dispositions
    (after ``after`` if given: a page of them, a year's count but not its rows), else all of
    them (the CSV)."""
    zone_name = get_settings().office.timezone
    start, end = report_range.bounds(ZoneInfo(zone_name))
    wanted = None if dispositions_shown is None else dispositions_shown + 1  # one more: a next?
    listed = disposition_rows.dispositions(session, start, end, limit=wanted, after=after)
    following = None
    if dispositions_shown is not None and len(listed) > dispositions_shown:
        listed = listed[:dispositions_shown]
        following = Cursor(listed[-1].disposed_at, listed[-1].event_id).text()
    total = len(listed)
    if following is not None or after is not None:
        total = disposition_rows.count(session, start, end)
    return SlaReport(
        range=report_range,
        timezone=zone_name,
        steps=step_figures(session, start, end),
        total_standard_minutes=total_standard_minutes(),
        total=filing_to_answer(session, start, end),
        dispositions=listed,
        dispositions_total=total,
        dispositions_next=following,
        satisfaction=per_month(session, start, end, ZoneInfo(zone_name)),
    )


def step_figures(session: Session, start: datetime, end: datetime) -> list[StepFigures]:
    """Per step and role: completions in ``[start, end)``, their minutes and the breaches seen.
    Every SOP step has a row, zeros included, so a chart keeps its axis."""
    in_range = (CaseEvent.occurred_at >= start, CaseEvent.occurred_at < end)
    key = (CaseEvent.step, CaseEvent.role)
    in_database = session.get_bind().dialect.name == "postgresql"
    minutes = CaseEvent.minutes_taken
    # PostgreSQL's percentile_cont is the same interpolation as ``percentile`` (position
    # ``(n - 1) * share``, ``low + (high - low) * fraction`` in doubles, NULLs left out): the
    # same figures in the same scan as the counts, without a year's minutes (a million rows at
    # 500,000 cases) travelling to Python. SQLite has no percentile: Python works them out.
    percentiles = (
        [
            func.percentile_cont(0.5).within_group(minutes).label("median"),
            func.percentile_cont(0.9).within_group(minutes).label("p90"),
        ]
        if in_database
        else []
    )
    counted: dict[StepKey, tuple[int, int]] = {}
    computed: dict[StepKey, Percentiles] = {}
    for row in session.execute(
        select(
            *key,
            func.count().label("handled"),
            func.sum(case((CaseEvent.within_standard.is_(True), 1), else_=0)).label("within"),
            *percentiles,
        )
        .where(CaseEvent.kind == COMPLETED, *in_range)
        .group_by(*key)
    ):
        counted[row.step, row.role] = (row.handled, row.within)
        if in_database:
            computed[row.step, row.role] = (row.median, row.p90)
    if not in_database:
        computed = {k: _summary(values) for k, values in _minutes(session, in_range).items()}
    breaches = breaches_per_step(session, *in_range)
    keys = {(s.number, s.role.value) for s in STEPS} | set(counted) | set(breaches)
    rows = []
    for step, role in sorted(k for k in keys if k[0] is not None and k[1] is not None):
        handled, within = counted.get((step, role), (0, 0))
        sop_step = STEP_BY_NUMBER.get(step)
        rows.append(
            StepFigures(
                step=step,
                role=role,
                standard_minutes=sop_step.standard_minutes if sop_step else None,
                durations=_durations_of(computed.get((step, role)), handled, int(within or 0)),
                breaches=breaches.get((step, role), 0),
            )
        )
    return rows


Percentiles = tuple[float | None, float | None]  # median, p90


def _minutes(
    session: Session, in_range: tuple[ColumnElement[bool], ...]
) -> dict[StepKey, list[float]]:
    key = (CaseEvent.step, CaseEvent.role)
    minutes: dict[StepKey, list[float]] = {}
    for row in session.execute(
        select(*key, CaseEvent.minutes_taken)
        .where(CaseEvent.kind == COMPLETED, CaseEvent.minutes_taken.is_not(None), *in_range)
        .order_by(*key, CaseEvent.minutes_taken)
    ):
        minutes.setdefault((row.step, row.role), []).append(row.minutes_taken)
    return minutes


def _summary(ordered: Sequence[float]) -> Percentiles:
    return percentile(ordered, 0.5), percentile(ordered, 0.9)


def _durations_of(found: Percentiles | None, count: int, within: int) -> Durations:
    median, p90 = found or (None, None)
    return Durations(
        count=count,
        median_minutes=_rounded(median),
        p90_minutes=_rounded(p90),
        within_standard_share=round(within / count, 4) if count else None,
    )


def breaches_per_step(session: Session, *conditions: ColumnElement[bool]) -> dict[StepKey, int]:
    """ "breached" events per step and role; one recorded without a role counts for the role the
    SOP gives the step."""
    counts: dict[StepKey, int] = {}
    for step, recorded_role, count in session.execute(
        select(CaseEvent.step, CaseEvent.role, func.count())
        .where(CaseEvent.kind == BREACHED, *conditions)
        .group_by(CaseEvent.step, CaseEvent.role)
    ):
        if step is None:
            continue
        sop_step = STEP_BY_NUMBER.get(step)
        role = recorded_role or (sop_step.role.value if sop_step else None)
        if role is not None:
            counts[step, role] = counts.get((step, role), 0) + count
    return counts


def filing_to_answer(session: Session, start: datetime, end: datetime) -> Durations:
    """Cases whose answer went out (the last step completed, which opens an answer round) in
    ``[start, end)``: office minutes from filing to that answer. A wait for the complainant's
    information counts here: the complainant waited for the answer all that time.

    The minutes were kept on the answer when it was sent (``answer_minutes``): on PostgreSQL the
    counts and percentiles come from one scan of the range's answers; an answer without them
    (none once migration 0027 has run) is counted through the calendar, as all were before."""
    standard = total_standard_minutes()
    in_range = (CaseAnswer.answered_at >= start, CaseAnswer.answered_at < end)
    kept = CaseAnswer.minutes_from_filing
    if session.get_bind().dialect.name == "postgresql":
        row = session.execute(
            select(
                func.count().label("answered"),
                func.count(kept).label("kept"),
                func.sum(case((kept <= standard, 1), else_=0)).label("within"),
                func.percentile_cont(0.5).within_group(kept).label("median"),
                func.percentile_cont(0.9).within_group(kept).label("p90"),
            ).where(*in_range)
        ).one()
        if row.answered == row.kept:
            return _durations_of((row.median, row.p90), row.answered, int(row.within or 0))
    rows = session.execute(
        select(Case.filed_at, CaseAnswer.answered_at, kept)
        .join(Case, Case.id == CaseAnswer.case_id)
        .where(*in_range)
    )
    taken = sorted(
        minutes if minutes is not None else minutes_from_filing(filed, answered)
        for filed, answered, minutes in rows
    )
    return durations(taken, len(taken), sum(1 for m in taken if m <= standard))


def durations(ordered: Sequence[float], count: int, within: int) -> Durations:
    """Summary of ``ordered`` (ascending minutes); ``count`` may include completions with no
    minutes on record."""
    return Durations(
        count=count,
        median_minutes=_rounded(percentile(ordered, 0.5)),
        p90_minutes=_rounded(percentile(ordered, 0.9)),
        within_standard_share=round(within / count, 4) if count else None,
    )


def percentile(ordered: Sequence[float], share: float) -> float | None:
    """Linear interpolation between closest ranks (position ``(n - 1) * share``); ``None`` for
    no values."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * share
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (position - below) * (ordered[above] - ordered[below])


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def role_label(role: str) -> str:
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return role


def step_name(step: int) -> str:
    sop_step = STEP_BY_NUMBER.get(step)
    return sop_step.name if sop_step else f"Langkah {step}"
