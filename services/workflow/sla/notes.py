"""What staff read in a Mutu Baku warning or breach (the notification's ``note``): the step,
the role, the due time in the office's own clock (WIB) and how much time is left or over, in
office minutes. One fact a line, each ending in a full stop, so the note reads well both in an
email and run together into one SMS line."""

from __future__ import annotations

from datetime import datetime

from services.workflow.models import Case
from services.workflow.sla.office_calendar import office_calendar
from shared.sop import ROLE_LABELS, Step, supervisor_label
from shared.wording.time_words import time_words


def warning_note(case: Case, step: Step, minutes_left: float) -> str:
    return "\n".join([*_facts(case, step), f"Sisa waktu: {duration(minutes_left)}."])


def breach_note(case: Case, step: Step, minutes_over: float) -> str:
    lines = [*_facts(case, step), f"Terlambat: {duration(minutes_over)} melewati batas waktu."]
    if case.held_by:
        lines.append(f"Dipegang oleh: {case.held_by}.")
    lines.append(f"Dilaporkan kepada: {supervisor_label(step.role)}.")
    return "\n".join(lines)


def _facts(case: Case, step: Step) -> list[str]:
    assert case.due_at is not None  # noqa: S101 - only a case at a step is warned or breached
    return [
        f"Langkah {step.number}: {step.name}.",
        f"Peran: {ROLE_LABELS[step.role]}.",
        f"Batas waktu: {office_time(case.due_at)} (standar {step.standard_minutes} menit).",
    ]


def office_time(moment: datetime) -> str:
    """``30 November 2026, 09.05 WIB``: the date and time as the office writes them."""
    return time_words(moment, office_calendar().zone)


def duration(minutes: float) -> str:
    """Office minutes as staff say them, whole minutes only (``1 jam 5 menit``)."""
    whole = int(round(minutes, 2))  # floored: "3 menit" means at least three
    if whole < 1:
        return "kurang dari 1 menit"
    hours, rest = divmod(whole, 60)
    parts = ([f"{hours} jam"] if hours else []) + ([f"{rest} menit"] if rest else [])
    return " ".join(parts)
