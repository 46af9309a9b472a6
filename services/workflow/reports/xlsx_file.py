"""The monthly report as an XLSX workbook (openpyxl) for the mayor's office: one sheet per table,
numbers as numbers (shares as fractions shown as percentages), the month and the moment it was
made as date cells, so that the spreadsheet sums and charts them without retyping."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, date, datetime, tzinfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from services.workflow.reports.columns import (
    ELEMENT_COLUMNS,
    FIGURE_COLUMNS,
    IKM_COLUMNS,
    TOTAL_LABEL,
    Column,
    declined_to_rows,
    group_label,
    service_label,
)
from services.workflow.reports.shape import (
    INTAKE_ROUTE_LABELS,
    INTAKE_ROUTES,
    Figures,
    MonthlyReport,
)
from shared.wording.time_words import WIB

SHEETS = ("Ringkasan", "Per layanan", "Jalur masuk", "Dialihkan ke", "IKM per unsur", "Metode")
MONTH_FORMAT = "mmmm yyyy"
MOMENT_FORMAT = "dd/mm/yyyy hh:mm"
FORMATS = {"count": "0", "share": "0.0%", "minutes": "0.0", "text": "@"}
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
Cell = int | float | str | date | datetime | None


def xlsx_bytes(report: MonthlyReport) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])  # a new workbook's one sheet, unnamed
    _summary(book.create_sheet(SHEETS[0]), report)
    _services(book.create_sheet(SHEETS[1]), report)
    _routes(book.create_sheet(SHEETS[2]), report)
    _declined_to(book.create_sheet(SHEETS[3]), report)
    _ikm(book.create_sheet(SHEETS[4]), report)
    _method(book.create_sheet(SHEETS[5]), report)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def office_moment(moment: datetime, zone: tzinfo | None) -> datetime:
    """The moment on the office's clock, without its zone: Excel has no time zones, so the
    sheet says which one it is in (WIB) beside it."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone or WIB).replace(tzinfo=None)


def _summary(sheet: Worksheet, report: MonthlyReport) -> None:
    zone = report.period_start.tzinfo or WIB
    made = office_moment(report.as_of, zone)
    zone_name = report.as_of.astimezone(zone).tzname() or "WIB"
    _header(sheet, ("Uraian", "Nilai"))
    sheet.append(("Bulan", report.month))
    sheet.cell(sheet.max_row, 2).number_format = MONTH_FORMAT
    sheet.append((f"Dibuat pada ({zone_name})", made))
    sheet.cell(sheet.max_row, 2).number_format = MOMENT_FORMAT
    sheet.append(("Zona waktu kantor", zone_name))
    for column in FIGURE_COLUMNS:
        sheet.append((column.header, _value(column, report.totals)))
        _format(sheet.cell(sheet.max_row, 2), column)
    _widths(sheet, (48, 22))


def _services(sheet: Worksheet, report: MonthlyReport) -> None:
    _header(sheet, ("Kode layanan", "Layanan", "Kelompok", *(c.header for c in FIGURE_COLUMNS)))
    lines = [
        (line.code or "", service_label(line.name), group_label(line.group), line.figures)
        for line in report.services
    ]
    lines.append(("", TOTAL_LABEL, "", report.totals))
    for code, name, group, figures in lines:
        text = (_text(code), _text(name), group)
        sheet.append((*text, *(_value(c, figures) for c in FIGURE_COLUMNS)))
        for offset, column in enumerate(FIGURE_COLUMNS, start=4):
            _format(sheet.cell(sheet.max_row, offset), column)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD  # the total row
    _widths(sheet, (14, 40, 22, *([14] * len(FIGURE_COLUMNS))))
    sheet.freeze_panes = "C2"


def _per_service_header(report: MonthlyReport, first: Sequence[str]) -> tuple[str, ...]:
    return (*first, TOTAL_LABEL, *(service_label(line.name) for line in report.services))


def _routes(sheet: Worksheet, report: MonthlyReport) -> None:
    _header(sheet, _per_service_header(report, ("Jalur masuk", "Bagian dari pengaduan masuk")))
    cohorts = [report.totals, *(line.figures for line in report.services)]
    for route in INTAKE_ROUTES:
        count = report.totals.filed_via.get(route, 0)
        share = count / report.totals.filed if report.totals.filed else None
        sheet.append(
            (INTAKE_ROUTE_LABELS[route], share, *(f.filed_via.get(route, 0) for f in cohorts))
        )
        sheet.cell(sheet.max_row, 2).number_format = FORMATS["share"]
    sheet.append(("Jumlah", 1 if report.totals.filed else None, *(f.filed for f in cohorts)))
    sheet.cell(sheet.max_row, 2).number_format = FORMATS["share"]
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    _widths(sheet, (26, 16, *([20] * len(cohorts))))
    sheet.freeze_panes = "B2"


def _declined_to(sheet: Worksheet, report: MonthlyReport) -> None:
    _header(sheet, _per_service_header(report, ("Instansi tujuan",)))
    cohorts = [report.totals, *(line.figures for line in report.services)]
    bodies = dict(declined_to_rows(report.totals.declined_to))
    for figures in cohorts[1:]:  # a body only a service names still gets its row
        for body, count in declined_to_rows(figures.declined_to):
            bodies.setdefault(body, count)
    for body in bodies:
        sheet.append((_text(body), *(f.declined_to.get(body, 0) for f in cohorts)))
    sheet.append(("Jumlah ditolak", *(f.declined for f in cohorts)))
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    _widths(sheet, (40, *([20] * len(cohorts))))
    sheet.freeze_panes = "B2"


def _ikm(sheet: Worksheet, report: MonthlyReport) -> None:
    _header(sheet, _per_service_header(report, ("Unsur",)))
    cohorts = [report.totals, *(line.figures for line in report.services)]
    for column in (*ELEMENT_COLUMNS, *IKM_COLUMNS):
        sheet.append((column.header, *(_value(column, f) for f in cohorts)))
        for offset in range(2, len(cohorts) + 2):
            _format(sheet.cell(sheet.max_row, offset), column)
    _widths(sheet, (44, *([20] * len(cohorts))))
    sheet.freeze_panes = "B2"


def _method(sheet: Worksheet, report: MonthlyReport) -> None:
    _header(sheet, ("Cara menghitung",))
    for paragraph in report.method.split("\n"):
        if paragraph.strip():
            sheet.append((paragraph.strip(),))
            sheet.cell(sheet.max_row, 1).alignment = WRAP
    _widths(sheet, (110,))


def _value(column: Column, figures: Figures) -> Cell:
    value = column.value(figures)
    if column.kind == "text" and isinstance(value, str):
        return _text(value)
    return value


def _text(value: str) -> str:
    """Text stays text: openpyxl writes a string starting with "=" as a formula."""
    return "'" + value if value.startswith("=") else value


def _format(cell: object, column: Column) -> None:
    number_format = FORMATS.get(column.kind) or ("0." + "0" * column.places)
    cell.number_format = number_format  # type: ignore[attr-defined]


def _header(sheet: Worksheet, titles: Sequence[str]) -> None:
    sheet.append([_text(title) for title in titles])
    for cell in sheet[1]:
        cell.font = BOLD
        cell.alignment = WRAP


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
