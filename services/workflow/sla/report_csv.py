"""The Mutu Baku report (``report.sla_report``) as a CSV file for a spreadsheet: one row per
step and one total row, the same file from the API and the console."""

from __future__ import annotations

import csv
import io
from typing import Any

from services.workflow.sla.notes import office_time
from services.workflow.sla.report import Durations, SlaReport, role_label, step_name
from shared.sop import STEPS
from shared.wording.time_words import day_words, month_words

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
DISPOSITION_HEADER = (
    "Kode pelacakan",
    "Langkah",
    "Didisposisikan pada",
    "Oleh",
    "Didisposisikan kepada",
    "Batas waktu tindak lanjut",
)


SATISFACTION_HEADER = (
    "Bulan jawaban",
    "Jawaban terkirim",
    "Jawaban dinilai",
    "Dinilai puas",
    "Puas (% dari yang dinilai)",
    "Dibuka kembali",
    "Tingkat dibuka kembali (%)",
)


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
    if report.dispositions:
        # A second table below an empty row: to whom each case in the range was disposed.
        writer.writerow(())
        writer.writerow(DISPOSITION_HEADER)
        for disposed in report.dispositions:
            writer.writerow(
                (
                    disposed.tracking_code,
                    disposed.step,
                    office_time(disposed.disposed_at),
                    disposed.disposed_by,
                    "; ".join(disposed.assignee_labels),
                    day_words(disposed.due_date) if disposed.due_date else "",
                )
            )
    _satisfaction(writer, report)
    return out.getvalue()


def _satisfaction(writer: Any, report: SlaReport) -> None:
    """A table below an empty row: what complainants made of the answers, per month."""
    writer.writerow(())
    writer.writerow(SATISFACTION_HEADER)
    for month in report.satisfaction:
        writer.writerow(
            (
                month_words(month.month),
                month.answered,
                month.rated,
                month.satisfied,
                _cell(_percent(month.satisfied_share)),
                month.reopened,
                _cell(_percent(month.reopen_rate)),
            )
        )


def _cells(d: Durations) -> tuple[str, str, str]:
    share = _percent(d.within_standard_share)
    return _cell(d.median_minutes), _cell(d.p90_minutes), _cell(share)


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 2)


def _cell(value: float | None) -> str:
    """Empty for no figure; whole numbers without ``.0``."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
