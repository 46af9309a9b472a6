"""The clock of the step a case waits at: started on arrival, stopped when the case leaves,
paused while the office waits for the complainant. Every number is office time
(``office_calendar``); the standard minutes come from the SOP data."""

from __future__ import annotations

from datetime import datetime

from services.workflow.models import Case
from services.workflow.sla.office_calendar import office_calendar
from shared.runtime.settings import get_settings
from shared.sop import Step


def start(case: Case, step: Step, now: datetime, *, resumed_after: float | None = None) -> None:
    """The case arrived at ``step``; or, with ``resumed_after`` (the office minutes it had there
    before the clock paused), came back to it: then the warning and breach it already had stand,
    so the sweep does not warn or escalate the same step twice."""
    minutes_spent = resumed_after or 0.0
    calendar = office_calendar()
    left = max(step.standard_minutes - minutes_spent, 0.0)
    warn_after = max(step.standard_minutes * get_settings().sla.warning_share - minutes_spent, 0)
    case.step_arrived_at = now
    case.minutes_before_pause = minutes_spent
    case.due_at = calendar.add_minutes(now, left)
    case.warn_at = calendar.add_minutes(now, warn_after)
    if resumed_after is None:
        case.warned_at = None
        case.breached_at = None


def stop(case: Case) -> None:
    """The case left the step: off every worklist and out of the sweep."""
    case.step_arrived_at = None
    case.due_at = None
    case.warn_at = None
    case.minutes_before_pause = 0.0


def pause(case: Case, now: datetime) -> None:
    """Waiting for the complainant stops the clock: what was spent is kept for the resume."""
    spent = minutes_taken(case, now)
    stop(case)
    case.minutes_before_pause = spent


def minutes_taken(case: Case, now: datetime) -> float:
    """Office minutes the case has spent at its current step, a pause's earlier part included."""
    assert case.step_arrived_at is not None  # noqa: S101 - only called for an arrived case
    since = office_calendar().minutes_between(case.step_arrived_at, now)
    return round(case.minutes_before_pause + since, 2)


def is_overdue(case: Case, now: datetime) -> bool:
    return case.step_arrived_at is not None and case.due_at is not None and case.due_at <= now
