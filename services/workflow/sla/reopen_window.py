"""The reopening window after an answer (``shared.sop.REOPENING``): the complainant may have
the case opened again (*dibuka kembali*) until the close of the ``settings.sla.
reopen_office_days``-th office day after the answer; the close sweep (``close_sweep``) closes
an answered case once it passed."""

from __future__ import annotations

from datetime import datetime

from services.workflow.sla.office_calendar import office_calendar
from shared.runtime.settings import get_settings


def reopen_until(answered_at: datetime) -> datetime:
    """The end of the window for an answer sent at ``answered_at``."""
    return office_calendar().close_of_office_days(
        answered_at, get_settings().sla.reopen_office_days
    )


def is_open(until: datetime | None, moment: datetime) -> bool:
    """Whether ``moment`` is inside a window ending at ``until`` (its end included)."""
    return until is not None and moment <= until
