"""The monthly report's figures as named columns, one list read by every file (CSV, XLSX, PDF)
and the charts, so that a figure is called the same wherever the office reads it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from services.workflow.reports.shape import INTAKE_ROUTE_LABELS, INTAKE_ROUTES, Figures
from shared.licensing_services import GROUP_LABELS, ServiceGroup
from shared.skm import ELEMENTS

# count: a whole number; share: 0..1 (a percentage to the reader); minutes: office minutes;
# index: a decimal figure of the SKM; text: words.
Kind = Literal["count", "share", "minutes", "index", "text"]
Value = int | float | str | None

NO_SERVICE = "Tidak menyebut layanan"  # a line whose complaints named no licensing service
TOTAL_LABEL = "Jumlah seluruh layanan"
NO_FIGURE = "-"  # printed where a figure does not exist (no rating, no survey)

# The outcomes that add up to the complaints filed, in the order the report lists them.
OUTCOMES: tuple[tuple[str, str], ...] = (
    ("answered", "Dijawab"),
    ("declined", "Ditolak (di luar kewenangan)"),
    ("duplicates", "Duplikat"),
    ("closed_without_reply", "Ditutup tanpa tanggapan pengadu"),
    ("open", "Masih diproses"),
)


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind
    value: Callable[[Figures], Value]
    places: int = 2  # decimal places of an index as printed (the files keep the figure whole)


def _field(name: str) -> Callable[[Figures], Value]:
    def value(figures: Figures) -> Value:
        found: Value = getattr(figures, name)
        return found

    return value


def _route(route: str) -> Callable[[Figures], Value]:
    return lambda figures: figures.filed_via.get(route, 0)


def _ikm(read: Callable[[Figures], Value]) -> Callable[[Figures], Value]:
    return lambda figures: None if figures.ikm is None else read(figures)


def _element(position: int) -> Callable[[Figures], Value]:
    return _ikm(lambda f: nrr(f.ikm.element_averages[position]) if f.ikm else None)


def nrr(average: Decimal) -> float:
    """An element's average (*nilai rata-rata*) as the files give it: four places."""
    return float(average.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


FILED = Column("Pengaduan masuk", "count", _field("filed"))
ROUTE_COLUMNS: tuple[Column, ...] = tuple(
    Column(f"Masuk lewat {INTAKE_ROUTE_LABELS[route]}", "count", _route(route))
    for route in INTAKE_ROUTES
)
OUTCOME_COLUMNS: tuple[Column, ...] = tuple(
    Column(label, "count", _field(name)) for name, label in OUTCOMES
)
PROGRESS_COLUMNS: tuple[Column, ...] = (
    Column("Masih diproses, melewati waktu baku", "count", _field("overdue")),
    Column("Dibuka kembali", "count", _field("reopened")),
    Column("Langkah selesai", "count", _field("steps_completed")),
    Column("Langkah selesai dalam waktu baku", "count", _field("steps_within_standard")),
    Column("Dalam waktu baku (%)", "share", _field("within_standard_share")),
    Column("Median sampai jawaban (menit kerja)", "minutes", _field("median_minutes_to_answer")),
)
SATISFACTION_COLUMNS: tuple[Column, ...] = (
    Column("Jawaban dinilai", "count", _field("rated")),
    Column("Dinilai puas", "count", _field("satisfied")),
    Column("Puas (%)", "share", _field("satisfied_share")),
)
IKM_COLUMNS: tuple[Column, ...] = (
    Column("Responden SKM", "count", lambda f: f.ikm.respondents if f.ikm else 0),
    Column("IKM (25-100)", "index", _ikm(lambda f: float(f.ikm.converted) if f.ikm else None)),
    Column("IKM (1-4)", "index", _ikm(lambda f: float(f.ikm.value) if f.ikm else None), 4),
    Column("Mutu pelayanan", "text", _ikm(lambda f: f.ikm.grade if f.ikm else None)),
    Column("Kinerja unit pelayanan", "text", _ikm(lambda f: f.ikm.performance if f.ikm else None)),
)
ELEMENT_COLUMNS: tuple[Column, ...] = tuple(
    Column(f"NRR {element.code} {element.name}", "index", _element(position))
    for position, element in enumerate(ELEMENTS)
)

# Every figure of a cohort but the bodies complaints were sent to (a table of their own).
FIGURE_COLUMNS: tuple[Column, ...] = (
    FILED,
    *ROUTE_COLUMNS,
    *OUTCOME_COLUMNS,
    *PROGRESS_COLUMNS,
    *SATISFACTION_COLUMNS,
    *IKM_COLUMNS,
)


def group_label(group: str | None) -> str:
    if group is None:
        return ""
    try:
        return GROUP_LABELS[ServiceGroup(group)]
    except ValueError:
        return group


def service_label(name: str) -> str:
    return name or NO_SERVICE


def declined_to_rows(declined_to: dict[str, int]) -> list[tuple[str, int]]:
    """The bodies complainants were sent to, most cases first, then by name."""
    return sorted(declined_to.items(), key=lambda item: (-item[1], item[0]))


def declined_to_text(declined_to: dict[str, int]) -> str:
    """``Dinas Kesehatan: 2; BPN: 1``: the bodies in one cell."""
    return "; ".join(f"{body}: {count}" for body, count in declined_to_rows(declined_to))


# Numbers as an Indonesian reader writes them: a decimal comma.


def decimal_words(value: float, places: int = 2) -> str:
    return f"{value:.{places}f}".replace(".", ",")


def minutes_words(value: float | None) -> str:
    if value is None:
        return NO_FIGURE
    return decimal_words(value, 1).removesuffix(",0")


def percent_words(share: float | None) -> str:
    """``87,5%``; a share rounded to one decimal place."""
    if share is None:
        return NO_FIGURE
    return decimal_words(share * 100, 1).removesuffix(",0") + "%"


def value_words(column: Column, figures: Figures) -> str:
    """A figure as printed in a table (PDF, chart labels)."""
    value = column.value(figures)
    if value is None:
        return NO_FIGURE
    if column.kind == "share":
        return percent_words(float(value))
    if column.kind == "minutes":
        return minutes_words(float(value))
    if column.kind == "index":
        return decimal_words(float(value), column.places)
    return str(value)


def month_slug(month: date) -> str:
    """``2026-11``: the month in a file's name."""
    return f"{month:%Y-%m}"
