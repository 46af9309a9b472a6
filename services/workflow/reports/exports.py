"""The monthly report's files: one call for the API and the console, whatever the format, with
the media type and the file name the download needs.

The XLSX and PDF writers are imported when a file of theirs is asked for: openpyxl and fpdf2
(with fontTools) are some 30 MiB that the workflow API would otherwise carry all month for a
report downloaded a few times in it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from services.workflow.reports.columns import month_slug
from services.workflow.reports.csv_file import CSV_MEDIA_TYPE, csv_text
from services.workflow.reports.shape import MonthlyReport

FORMATS: tuple[str, ...] = ("csv", "xlsx", "pdf")
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MEDIA_TYPE = "application/pdf"


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str


def _csv(report: MonthlyReport) -> bytes:
    return csv_text(report).encode("utf-8")


def _xlsx(report: MonthlyReport) -> bytes:
    from services.workflow.reports.xlsx_file import xlsx_bytes  # noqa: PLC0415 - see above

    return xlsx_bytes(report)


def _pdf(report: MonthlyReport) -> bytes:
    from services.workflow.reports.pdf_file import pdf_bytes  # noqa: PLC0415 - see above

    return pdf_bytes(report)


_WRITERS: dict[str, tuple[Callable[[MonthlyReport], bytes], str]] = {
    "csv": (_csv, CSV_MEDIA_TYPE),
    "xlsx": (_xlsx, XLSX_MEDIA_TYPE),
    "pdf": (_pdf, PDF_MEDIA_TYPE),
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
