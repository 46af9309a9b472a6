"""The monthly report's files: one call for the API and the console, whatever the format, with
the media type and the file name the download needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from services.workflow.reports.columns import month_slug
from services.workflow.reports.csv_file import CSV_MEDIA_TYPE, csv_text
from services.workflow.reports.pdf_file import PDF_MEDIA_TYPE, pdf_bytes
from services.workflow.reports.shape import MonthlyReport
from services.workflow.reports.xlsx_file import XLSX_MEDIA_TYPE, xlsx_bytes

FORMATS: tuple[str, ...] = ("csv", "xlsx", "pdf")


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str


def _csv(report: MonthlyReport) -> bytes:
    return csv_text(report).encode("utf-8")


_WRITERS: dict[str, tuple[Callable[[MonthlyReport], bytes], str]] = {
    "csv": (_csv, CSV_MEDIA_TYPE),
    "xlsx": (xlsx_bytes, XLSX_MEDIA_TYPE),
    "pdf": (pdf_bytes, PDF_MEDIA_TYPE),
}


def filename(report: MonthlyReport, fmt: str) -> str:
    """``laporan-bulanan-2026-11.xlsx``."""
    return f"laporan-bulanan-{month_slug(report.month)}.{fmt}"


def export(report: MonthlyReport, fmt: str) -> ExportFile:
    """The report as a file; ValueError for a format there is none of (the caller's 422)."""
    if fmt not in _WRITERS:
        raise ValueError(f"no monthly report file of format {fmt!r}: one of {', '.join(FORMATS)}")
    write, media_type = _WRITERS[fmt]
    return ExportFile(content=write(report), media_type=media_type, filename=filename(report, fmt))
