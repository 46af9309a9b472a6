"""Staff routes for the Mutu Baku report (``sla_report``): JSON, and the same figures as CSV
for a spreadsheet (``report_csv``). Any staff member may read them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from services.workflow.api.dependencies import CurrentUser
from services.workflow.dependencies import SessionDep
from services.workflow.sla.dispositions import Cursor
from services.workflow.sla.report import (
    DISPOSITIONS_SHOWN,
    Durations,
    SlaReport,
    parse_range,
    role_label,
    sla_report,
    step_name,
)
from services.workflow.sla.report_csv import CSV_MEDIA_TYPE, csv_filename, csv_text
from shared.web.api_errors import error_responses
from shared.wording.time_words import month_words

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


CursorParam = Annotated[
    str | None,
    Query(
        max_length=40,
        description="Halaman disposisi berikutnya: nilai dispositions_next dari halaman "
        "sebelumnya; tanpa ini, halaman pertama",
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


class DispositionOut(BaseModel):
    case_id: str
    tracking_code: str
    step: int
    disposed_at: datetime
    disposed_by: str = Field(description="Nama pengguna Koordinator yang memberi disposisi")
    assignees: list[str] = Field(description="Nama pengguna petugas yang ditunjuk")
    assignee_labels: list[str] = Field(description="Nama dan bidang/seksi petugas yang ditunjuk")
    due_date: date | None = Field(description="Batas waktu tindak lanjut (tanggal, WIB)")


class SatisfactionRow(BaseModel):
    month: str = Field(description="Bulan jawaban terkirim (TTTT-BB), zona waktu kantor")
    month_label: str = Field(description="Bulan dalam kata, misalnya Desember 2026")
    answered: int = Field(description="Jawaban yang terkirim pada bulan itu")
    rated: int = Field(description="Jawaban itu yang dinilai pengadu")
    satisfied: int = Field(description="Yang dinilai puas (nilai 3 atau 4)")
    satisfied_share: float | None = Field(description="Bagian puas dari yang dinilai, 0..1")
    reopened: int = Field(description="Jawaban itu yang laporannya dibuka kembali")
    reopen_rate: float | None = Field(description="Bagian dibuka kembali dari yang terkirim, 0..1")


class SlaReportOut(BaseModel):
    from_: date = Field(serialization_alias="from")
    to: date
    timezone: str
    steps: list[StepRow]
    total: TotalRow
    dispositions: list[DispositionOut] = Field(
        default_factory=list,
        description="Kepada siapa setiap laporan didisposisikan dalam rentang (langkah 3), "
        f"paling banyak {DISPOSITIONS_SHOWN} per halaman, urut waktu; semuanya ada di CSV "
        "(sla.csv)",
    )
    dispositions_total: int = Field(
        default=0, description="Jumlah disposisi dalam rentang, termasuk yang tidak dimuat"
    )
    dispositions_next: str | None = Field(
        default=None,
        description="Kursor halaman disposisi berikutnya (parameter cursor); null bila ini "
        "halaman terakhir",
    )
    satisfaction: list[SatisfactionRow] = Field(
        default_factory=list,
        description="Per bulan jawaban: bagian jawaban yang dinilai puas dan tingkat laporan "
        "yang dibuka kembali",
    )


@router.get("/sla", summary="Laporan Mutu Baku", responses=error_responses(401, 422))
def read_sla_report(
    first: From, last: To, _user: CurrentUser, session: SessionDep, cursor: CursorParam = None
) -> SlaReportOut:
    """Mutu Baku per langkah dan peran, serta waktu total dari pengajuan sampai jawaban
    terkirim, dalam menit kerja kantor; per bulan, bagian jawaban yang dinilai puas dan tingkat
    laporan yang dibuka kembali. Median dan persentil ke-90 dihitung dengan interpolasi
    linear (``statistics.quantiles(method="inclusive")``). Disposisi dimuat per halaman:
    ``dispositions_next`` adalah kursor halaman berikutnya."""
    after = Cursor.parse(cursor) if cursor is not None else None
    report_range = parse_range(first, last)
    return _out(
        sla_report(session, report_range, dispositions_shown=DISPOSITIONS_SHOWN, after=after)
    )


@router.get(
    "/sla.csv",
    summary="Unduh Laporan Mutu Baku (CSV)",
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
    report = sla_report(session, parse_range(first, last))
    return Response(
        csv_text(report),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{csv_filename(report)}"'},
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
        dispositions=[
            DispositionOut(
                case_id=row.case_id,
                tracking_code=row.tracking_code,
                step=row.step,
                disposed_at=row.disposed_at,
                disposed_by=row.disposed_by,
                assignees=list(row.assignees),
                assignee_labels=list(row.assignee_labels),
                due_date=row.due_date,
            )
            for row in report.dispositions
        ],
        dispositions_total=report.dispositions_total,
        dispositions_next=report.dispositions_next,
        satisfaction=[
            SatisfactionRow(
                month=f"{row.month:%Y-%m}",
                month_label=month_words(row.month),
                answered=row.answered,
                rated=row.rated,
                satisfied=row.satisfied,
                satisfied_share=row.satisfied_share,
                reopened=row.reopened,
                reopen_rate=row.reopen_rate,
            )
            for row in report.satisfaction
        ],
    )


def _figures(d: Durations) -> dict[str, Any]:
    return {
        "median_minutes": d.median_minutes,
        "p90_minutes": d.p90_minutes,
        "within_standard_share": d.within_standard_share,
    }
