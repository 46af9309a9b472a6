"""The monthly report's figures (``shape.MonthlyReport``): the complaints filed in a month (the
office's time zone), each counted by where it stands at ``as_of``, in total and per licensing
service.

A handful of grouped queries over the month's cohort (``cases.filed_at`` is indexed, the
events and answers are read through their ``case_id`` index), never a walk over the whole
history: the rows that reach Python are per group, except the first answers (their office minutes,
kept with each answer), the declines (whose body is free text in the event's input) and
the survey answers (the IKM is computed from them): one month's worth of each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from services.workflow.models import Case, CaseAnswer, CaseEvent, CatalogueEntry, SurveyResponse
from services.workflow.reports.method import method_text
from services.workflow.reports.period import month_bounds
from services.workflow.reports.shape import INTAKE_ROUTES, Figures, MonthlyReport, ServiceLine
from services.workflow.sla.office_calendar import OfficeCalendar, office_calendar
from services.workflow.sla.report import percentile
from shared import skm
from shared.licensing_services import SEED_SERVICES
from shared.sop import ANSWERED, CLOSED, PATHS, REOPENING
from shared.sop_shapes import Path

UNNAMED_SERVICE = "Tidak disebutkan"  # the line of complaints that name no service
COMPLETED = "completed"
PATH_EVENT = "path"
DECLINE_PATH = "decline"
BODY_INPUT = "responsible_body"

ServiceKey = str | None


def _path(name: str) -> Path:
    return next(p for p in PATHS if p.name == name)


DECLINED = _path(DECLINE_PATH).status
DUPLICATE = _path("mark_duplicate").status
_NO_REPLY = _path("request_information").no_reply
NO_REPLY = _NO_REPLY.status if _NO_REPLY else "closed_no_response"
# Where a case stands, by its status; any other status is on its way (open).
OUTCOMES: dict[str | None, str] = {
    ANSWERED: "answered",
    CLOSED: "answered",
    DECLINED: "declined",
    DUPLICATE: "duplicates",
    NO_REPLY: "closed_without_reply",
}


@dataclass
class Tally:
    """The counts of one cohort as the queries add them up."""

    filed: int = 0
    filed_via: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    declined_to: Counter[str] = field(default_factory=Counter)
    overdue: int = 0
    reopened: int = 0
    steps_completed: int = 0
    steps_within_standard: int = 0
    minutes_to_answer: list[float] = field(default_factory=list)
    rated: int = 0
    satisfied: int = 0
    surveys: list[list[int]] = field(default_factory=list)

    def figures(self) -> Figures:
        return Figures(
            filed=self.filed,
            filed_via={route: self.filed_via[route] for route in INTAKE_ROUTES},
            answered=self.outcomes["answered"],
            declined=self.outcomes["declined"],
            declined_to=dict(sorted(self.declined_to.items(), key=lambda kv: (-kv[1], kv[0]))),
            duplicates=self.outcomes["duplicates"],
            closed_without_reply=self.outcomes["closed_without_reply"],
            open=self.outcomes["open"],
            overdue=self.overdue,
            reopened=self.reopened,
            steps_completed=self.steps_completed,
            steps_within_standard=self.steps_within_standard,
            median_minutes_to_answer=_median(self.minutes_to_answer),
            rated=self.rated,
            satisfied=self.satisfied,
            ikm=skm.index_of(self.surveys),
        )


class Tallies:
    """The month's tally and each service's: every count goes to both."""

    def __init__(self) -> None:
        self.total = Tally()
        self.services: dict[ServiceKey, Tally] = {}

    def of(self, code: ServiceKey) -> Iterable[Tally]:
        return (self.total, self.services.setdefault(code, Tally()))


def monthly_report(
    session: Session,
    month: date,
    *,
    as_of: datetime,
    zone: ZoneInfo | None = None,
    calendar: OfficeCalendar | None = None,
) -> MonthlyReport:
    """The report of ``month`` (any day of it) as it stands at ``as_of`` (aware): the overdue
    figure compares each open case's due time with it; every other figure is the record as it
    is."""
    calendar = calendar or office_calendar()
    zone = zone or calendar.zone
    first_day = month.replace(day=1)
    start, end = month_bounds(first_day, zone)
    cohort = (Case.filed_at >= start, Case.filed_at < end)
    tallies = Tallies()
    _count_cases(session, tallies, cohort, as_of)
    _count_steps(session, tallies, cohort)
    _count_declines(session, tallies, cohort)
    _count_answers(session, tallies, cohort, calendar)
    _count_surveys(session, tallies, cohort)
    return MonthlyReport(
        month=first_day,
        period_start=start.astimezone(zone),
        period_end=end.astimezone(zone),
        as_of=as_of,
        totals=tallies.total.figures(),
        services=_service_lines(session, tallies.services),
        method=method_text(),
    )


def _count_cases(
    session: Session, tallies: Tallies, cohort: tuple[ColumnElement[bool], ...], as_of: datetime
) -> None:
    """Filed, routes, outcomes, reopened and overdue: one grouped query."""
    reopened_ids = (
        select(CaseAnswer.case_id.label("case_id"))
        .where(CaseAnswer.reopened_at.is_not(None))
        .distinct()
        .subquery()
    )
    reopened = or_(Case.answer_round > 1, reopened_ids.c.case_id.is_not(None))
    past_due = and_(
        Case.step_arrived_at.is_not(None), Case.due_at.is_not(None), Case.due_at <= as_of
    )
    route = func.coalesce(Case.filed_via, Case.received_via)
    rows = session.execute(
        select(
            Case.service_code,
            route.label("route"),
            Case.status,
            func.count().label("cases"),
            func.sum(case((reopened, 1), else_=0)).label("reopened"),
            func.sum(case((past_due, 1), else_=0)).label("past_due"),
        )
        .outerjoin(reopened_ids, reopened_ids.c.case_id == Case.id)
        .where(*cohort)
        .group_by(Case.service_code, route, Case.status)
    )
    for row in rows:
        outcome = OUTCOMES.get(row.status, "open")
        for tally in tallies.of(row.service_code):
            tally.filed += row.cases
            if row.route in INTAKE_ROUTES:
                tally.filed_via[row.route] += row.cases
            tally.outcomes[outcome] += row.cases
            tally.reopened += int(row.reopened or 0)
            if outcome == "open":
                tally.overdue += int(row.past_due or 0)


def _count_steps(
    session: Session, tallies: Tallies, cohort: tuple[ColumnElement[bool], ...]
) -> None:
    rows = session.execute(
        select(
            Case.service_code,
            func.count().label("completed"),
            func.sum(case((CaseEvent.within_standard.is_(True), 1), else_=0)).label("within"),
        )
        .join(Case, Case.id == CaseEvent.case_id)
        .where(CaseEvent.kind == COMPLETED, *cohort)
        .group_by(Case.service_code)
    )
    for row in rows:
        for tally in tallies.of(row.service_code):
            tally.steps_completed += row.completed
            tally.steps_within_standard += int(row.within or 0)


def _count_declines(
    session: Session, tallies: Tallies, cohort: tuple[ColumnElement[bool], ...]
) -> None:
    """The body each declined case was sent to, as its last decline named it (a reopened case
    may be declined anew). Spelled as the first decline of the month spelled it; the same body
    in other capitals or spacing counts with it."""
    rows = session.execute(
        select(Case.id, Case.service_code, CaseEvent.input, CaseEvent.output)
        .join(Case, Case.id == CaseEvent.case_id)
        .where(CaseEvent.kind == PATH_EVENT, Case.status == DECLINED, *cohort)
        .order_by(CaseEvent.occurred_at, CaseEvent.sequence)
    )
    last: dict[str, tuple[ServiceKey, str | None]] = {}
    for case_id, code, data, output in rows:
        if (output or {}).get("path") == DECLINE_PATH:
            last[case_id] = (code, _body(data))
    spelling: dict[str, str] = {}
    for code, body in last.values():
        if body is None:
            continue
        name = spelling.setdefault(body.casefold(), body)
        for tally in tallies.of(code):
            tally.declined_to[name] += 1


def _body(data: dict[str, Any] | None) -> str | None:
    text = (data or {}).get(BODY_INPUT)
    if not isinstance(text, str):
        return None
    return " ".join(text.split()) or None


def _count_answers(
    session: Session,
    tallies: Tallies,
    cohort: tuple[ColumnElement[bool], ...],
    calendar: OfficeCalendar,
) -> None:
    """The first answers' office minutes since filing, as kept when each was sent, and every
    answer's rating: one read of the cohort's answers (two were each a join over them). An
    answer kept without its minutes (none after workflow migration 0027) is counted through
    the calendar; only those read their times."""
    rows = session.execute(
        select(
            Case.service_code,
            CaseAnswer.id,
            CaseAnswer.round,
            CaseAnswer.score,
            CaseAnswer.minutes_from_filing,
        )
        .join(Case, Case.id == CaseAnswer.case_id)
        .where(*cohort)
    ).all()
    untimed = [row.id for row in rows if row.round == 1 and row.minutes_from_filing is None]
    counted: dict[int, float] = {}
    if untimed:
        for row in session.execute(
            select(CaseAnswer.id, Case.filed_at, CaseAnswer.answered_at)
            .join(Case, Case.id == CaseAnswer.case_id)
            .where(CaseAnswer.id.in_(untimed))
        ):
            counted[row.id] = round(calendar.minutes_between(row.filed_at, row.answered_at), 2)
    for code, answer_id, answer_round, score, kept in rows:
        for tally in tallies.of(code):
            if answer_round == 1:
                tally.minutes_to_answer.append(kept if kept is not None else counted[answer_id])
            if score is not None:
                tally.rated += 1
                tally.satisfied += int(REOPENING.is_satisfied(score))


def _count_surveys(
    session: Session, tallies: Tallies, cohort: tuple[ColumnElement[bool], ...]
) -> None:
    rows = session.execute(
        select(Case.service_code, SurveyResponse.scores)
        .join(Case, Case.id == SurveyResponse.case_id)
        .where(*cohort)
    )
    for code, scores in rows:
        for tally in tallies.of(code):
            tally.surveys.append(list(scores))


def _service_lines(session: Session, counted: dict[ServiceKey, Tally]) -> tuple[ServiceLine, ...]:
    """Catalogue order: the seeded services as the office's standard lists them, then services
    the office added (by name), then codes no longer in the catalogue, then complaints naming
    none."""
    entries = {e.code: e for e in session.scalars(select(CatalogueEntry))}
    seeded = {s.code: i for i, s in enumerate(SEED_SERVICES)}

    def order(code: ServiceKey) -> tuple[int, int, str]:
        if code is None:
            return (3, 0, "")
        entry = entries.get(code)
        if entry is None:
            return (2, 0, code)
        if code in seeded:
            return (0, seeded[code], "")
        return (1, 0, entry.name.casefold())

    lines = []
    for code in sorted(counted, key=order):
        entry = entries.get(code) if code is not None else None
        lines.append(
            ServiceLine(
                code=code,
                name=entry.name if entry else (code or UNNAMED_SERVICE),
                group=entry.group if entry else None,
                figures=counted[code].figures(),
            )
        )
    return tuple(lines)


def _median(values: list[float]) -> float | None:
    middle = percentile(sorted(values), 0.5)
    return None if middle is None else round(middle, 2)
