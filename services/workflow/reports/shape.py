"""What the monthly report (*laporan bulanan*) holds: one shape, read by its computation
(``monthly``), the API's JSON, the console's page and charts, and the CSV, XLSX and PDF files.

The report counts a month's *cohort*: the complaints filed in that month (in the office's time
zone), each by where it stands when the report is made (``as_of``). So its outcomes add up:
``answered + declined + duplicates + closed_without_reply + open == filed``; ``reopened`` and
``overdue`` count within them (answered or open cases that were reopened; open ones past due).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from shared.skm import Index

# How a complaint came in, in the order the report lists them: the complainant's own routes
# (shared.messaging.contracts.FiledVia) and the Admin Pengaduan's (ReceivedVia).
INTAKE_ROUTES: tuple[str, ...] = ("web", "api", "open311", "telepon", "loket", "surat")
INTAKE_ROUTE_LABELS: dict[str, str] = {
    "web": "Formulir web",
    "api": "Aplikasi (API)",
    "open311": "Sistem mitra (Open311)",
    "telepon": "Telepon",
    "loket": "Loket",
    "surat": "Surat",
}


@dataclass(frozen=True)
class Figures:
    """The figures of one cohort: the whole month's, or one service's within it."""

    filed: int
    filed_via: dict[str, int]  # every INTAKE_ROUTES key, zeros included
    answered: int  # the answer went out (and the case is not open again)
    declined: int
    declined_to: dict[str, int]  # the body the complainant was sent to -> cases
    duplicates: int
    closed_without_reply: int  # the complainant did not supply what was asked in time
    open: int  # still on its way through the steps (a reopened one too)
    overdue: int  # of the open ones: its step's standard time has passed
    reopened: int  # reopened at least once (answered or open again)
    steps_completed: int  # steps of these cases completed (a case's every round)
    steps_within_standard: int  # ... within their standard time (Mutu Baku)
    median_minutes_to_answer: float | None  # office minutes, filing to first answer
    rated: int  # answers rated by the complainant
    satisfied: int  # ... rated *puas* (shared.sop.REOPENING)
    ikm: Index | None  # the SKM survey's index of these cases' answers; None: no survey

    @property
    def within_standard_share(self) -> float | None:
        """0..1; None when no step was completed."""
        if not self.steps_completed:
            return None
        return round(self.steps_within_standard / self.steps_completed, 4)

    @property
    def satisfied_share(self) -> float | None:
        """0..1; None when no answer was rated."""
        return round(self.satisfied / self.rated, 4) if self.rated else None


@dataclass(frozen=True)
class ServiceLine:
    """One licensing service's share of the month (``code`` None: complaints naming none)."""

    code: str | None
    name: str
    group: str | None  # shared.licensing_services.ServiceGroup's value
    figures: Figures


@dataclass(frozen=True)
class MonthlyReport:
    month: date  # its first day
    period_start: datetime  # the month's first moment in the office's time zone (aware)
    period_end: datetime  # the next month's first moment (excluded)
    as_of: datetime  # when it was made: the open and overdue figures are as of then
    totals: Figures
    services: tuple[ServiceLine, ...]  # catalogue order; services with no complaint left out
    method: str  # how the figures are counted, in Bahasa Indonesia (the IKM's method included)
