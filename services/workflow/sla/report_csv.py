"""The Mutu Baku report (``report.sla_report``) as a CSV file for a spreadsheet: one row per
step and one total row, the same file from the API and the console."""

from __future__ import annotations

import csv
import io

from services.workflow.sla.report import Durations, SlaReport, role_label, step_name
from shared.sop import STEPS

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
CSV_HEADER = (
    "Langkah",
    "Uraian langkah",
    "Peran",
    "Waktu baku (menit)",
    "Jumlah ditangani",
    "Median (menit kerja)",
    "Persentil ke-90 (menit kerja)",
    "Dalam waktu baku (%)",
    "Melewati waktu baku",
)
TOTAL_LABEL = "Total: sejak pengaduan diajukan sampai jawaban terkirim"


def csv_filename(report: SlaReport) -> str:
    return f"laporan-mutu-baku-{report.range.first_day}-sd-{report.range.last_day}.csv"


def csv_text(report: SlaReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as spreadsheets expect
    writer.writerow(CSV_HEADER)
    for row in report.steps:
        writer.writerow(
            (
                row.step,
                step_name(row.step),
                role_label(row.role),
                _cell(row.standard_minutes),
                row.durations.count,
                *_cells(row.durations),
                row.breaches,
            )
        )
    writer.writerow(
        (
            f"{STEPS[0].number}-{STEPS[-1].number}",
            TOTAL_LABEL,
            "",
            report.total_standard_minutes,
            report.total.count,
            *_cells(report.total),
            "",
        )
    )
    return out.getvalue()


def _cells(d: Durations) -> tuple[str, str, str]:
    share = None if d.within_standard_share is None else round(d.within_standard_share * 100, 2)
    return _cell(d.median_minutes), _cell(d.p90_minutes), _cell(share)


def _cell(value: float | None) -> str:
    """Empty for no figure; whole numbers without ``.0``."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
