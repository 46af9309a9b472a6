"""The monthly report as a CSV file for a spreadsheet: the month's totals, then one row per
licensing service, every figure a column (as the Mutu Baku's CSV, ``sla.report_csv``); the
IKM's method (Permenpan RB 14/2017) in the last column of the totals row, beside its figures as
the console, the XLSX and the PDF state it."""

from __future__ import annotations

import csv
import io

from services.workflow.reports.columns import (
    ELEMENT_COLUMNS,
    FIGURE_COLUMNS,
    TOTAL_LABEL,
    Column,
    declined_to_text,
    group_label,
    month_slug,
    service_label,
)
from services.workflow.reports.method import FIGURES as METHOD_OF
from services.workflow.reports.shape import Figures, MonthlyReport

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
COLUMNS: tuple[Column, ...] = (*FIGURE_COLUMNS, *ELEMENT_COLUMNS)
HEADER: tuple[str, ...] = (
    "Bulan",
    "Kode layanan",
    "Layanan",
    "Kelompok",
    *(column.header for column in COLUMNS),
    "Dialihkan ke (instansi: jumlah)",
    "Cara menghitung IKM",
)
IKM_METHOD = dict(METHOD_OF)["IKM"]
# A spreadsheet reads a cell starting with one of these as a formula: a service's or a body's
# name typed by staff must stay text (OWASP's CSV injection advice: a leading apostrophe).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(report: MonthlyReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as spreadsheets expect
    writer.writerow(HEADER)
    month = month_slug(report.month)
    writer.writerow([*_row(month, "", TOTAL_LABEL, "", report.totals), IKM_METHOD])
    for line in report.services:
        writer.writerow(
            [
                *_row(
                    month,
                    line.code or "",
                    service_label(line.name),
                    group_label(line.group),
                    line.figures,
                ),
                "",  # the method once, on the totals row: it is every row's
            ]
        )
    return out.getvalue()


def _row(month: str, code: str, name: str, group: str, figures: Figures) -> list[str]:
    values = [_cell(column, figures) for column in COLUMNS]
    text = (month, code, name, group)
    return [
        *(safe_text(cell) for cell in text),
        *values,
        safe_text(declined_to_text(figures.declined_to)),
    ]


def _cell(column: Column, figures: Figures) -> str:
    """Empty for no figure; a share as a percentage (0-100); whole numbers without ``.0``."""
    value = column.value(figures)
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if column.kind == "share":
        value = round(value * 100, 2)
    return str(int(value)) if float(value).is_integer() else str(value)


def safe_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text
