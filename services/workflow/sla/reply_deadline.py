"""The complainant's reply deadline while the office waits for them (a request for information):
``settings.sla.reply_office_days`` office days, a reminder halfway in office time. Set when the
path is taken, cleared when they reply; the sweep (``reply_sweep``) acts on it."""

from __future__ import annotations

from datetime import datetime

from services.workflow.models import Case
from services.workflow.sla.office_calendar import office_calendar
from shared.runtime.settings import get_settings


def start(case: Case, now: datetime) -> None:
    """The office asked at ``now``: the deadline and the reminder, their marks cleared."""
    calendar = office_calendar()
    due = calendar.close_of_office_days(now, get_settings().sla.reply_office_days)
    case.reply_due_at = due
    case.reply_remind_at = calendar.add_minutes(now, calendar.minutes_between(now, due) / 2)
    case.reply_reminded_at = None
    case.reply_closed_at = None


def cancel(case: Case) -> None:
    """The complainant replied: no reminder and no close any more."""
    case.reply_due_at = None
    case.reply_remind_at = None
