"""Staff routes for the Mutu Baku report (``sla_report``): JSON for the console's chart, and the
same figures as CSV for a spreadsheet. Any staff member may read them."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from services.workflow.api.dependencies import CurrentUser, SessionDep
from services.workflow.sla.report import (
    Durations,
    SlaReport,
    parse_range,
    role_label,
    sla_report,
    step_name,
)
from shared.sop import STEPS
from shared.web.api_errors import error_responses

router = APIRouter(prefix="/api/v1/reports", tags=["laporan mutu baku"])

From = Annotated[
    str,
    Query(
        alias="from",
        description="Tanggal awal (TTTT-BB-HH), termasuk; dibaca dalam zona waktu kantor",
        examples=["2026-03-02"],
    ),
]
To = Annotated[
    str,
    Query(
        alias="to",
        description="Tanggal akhir (TTTT-BB-HH), termasuk; paling jauh 366 hari dari awal",
        examples=["2026-03-31"],
    ),
]


class StepRow(BaseModel):
    step: int
    step_name: str
    role: str
    role_label: str
    standard_minutes: int | None
    handled: int = Field(description="Langkah yang diselesaikan dalam rentang")
    median_minutes: float | None = Field(description="Median menit kerja")
    p90_minutes: float | None = Field(description="Persentil ke-90 menit kerja")
    within_standard_share: float | None = Field(description="Bagian dalam waktu baku, 0..1")
    breaches: int = Field(description="Kejadian melewati waktu baku yang tercatat dalam rentang")


class TotalRow(BaseModel):
    standard_minutes: int
    answered: int = Field(description="Laporan yang jawabannya terkirim dalam rentang")
    median_minutes: float | None
    p90_minutes: float | None
    within_standard_share: float | None


class SlaReportOut(BaseModel):
    from_: date = Field(serialization_alias="from")
    to: date
    timezone: str
    steps: list[StepRow]
    total: TotalRow


@router.get("/sla", responses=error_responses(401, 422))
def read_sla_report(first: From, last: To, _user: CurrentUser, session: SessionDep) -> SlaReportOut:
    """Mutu Baku per langkah dan peran, serta waktu total dari pengajuan sampai jawaban
    terkirim, dalam menit kerja kantor. Median dan persentil ke-90 dihitung dengan interpolasi
    linear (``statistics.quantiles(method="inclusive")``)."""
    return _out(sla_report(session, parse_range(first, last)))


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


@router.get(
    "/sla.csv",
    response_class=Response,
    responses={
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "Laporan Mutu Baku dalam CSV (UTF-8), satu baris per langkah dan "
            "satu baris total",
        },
        **error_responses(401, 422),
    },
)
def export_sla_report(first: From, last: To, _user: CurrentUser, session: SessionDep) -> Response:
    """Laporan Mutu Baku yang sama, sebagai berkas CSV untuk lembar kerja."""
    return csv_download(sla_report(session, parse_range(first, last)))


def csv_download(report: SlaReport) -> Response:
    """The report as a CSV file to save (the API's and the console's download)."""
    name = f"laporan-mutu-baku-{report.range.first_day}-sd-{report.range.last_day}.csv"
    return Response(
        _csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _out(report: SlaReport) -> SlaReportOut:
    return SlaReportOut(
        from_=report.range.first_day,
        to=report.range.last_day,
        timezone=report.timezone,
        steps=[
            StepRow(
                step=row.step,
                step_name=step_name(row.step),
                role=row.role,
                role_label=role_label(row.role),
                standard_minutes=row.standard_minutes,
                handled=row.durations.count,
                **_figures(row.durations),
                breaches=row.breaches,
            )
            for row in report.steps
        ],
        total=TotalRow(
            standard_minutes=report.total_standard_minutes,
            answered=report.total.count,
            **_figures(report.total),
        ),
    )


def _figures(d: Durations) -> dict[str, Any]:
    return {
        "median_minutes": d.median_minutes,
        "p90_minutes": d.p90_minutes,
        "within_standard_share": d.within_standard_share,
    }


def _csv(report: SlaReport) -> str:
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
