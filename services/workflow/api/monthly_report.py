"""The monthly report (*laporan bulanan*, ``reports.monthly``) for the staff API: the figures of
a month's complaints in total and per licensing service, as JSON, for the Koordinator, the Kasi
and the Admin Pengaduan."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from services.workflow.api.dependencies import CurrentUser
from services.workflow.dependencies import SessionDep
from services.workflow.errors import InvalidReportFormat
from services.workflow.reports.access import ensure_may_read
from services.workflow.reports.csv_file import CSV_MEDIA_TYPE
from services.workflow.reports.exports import (
    FORMATS,
    PDF_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    ExportFile,
    export,
)
from services.workflow.reports.monthly import monthly_report
from services.workflow.reports.period import parse_month
from services.workflow.reports.shape import Figures, MonthlyReport
from services.workflow.sla import clock
from services.workflow.sla.office_calendar import office_calendar
from shared import skm
from shared.web.api_errors import error_responses

router = APIRouter(prefix="/api/v1/reports", tags=["laporan bulanan"])

Month = Annotated[
    str,
    Query(
        description="Bulan laporan (TTTT-BB): laporan pengaduan yang diajukan pada bulan itu "
        "menurut zona waktu kantor; bulan ini atau bulan yang sudah lewat",
        examples=["2026-11"],
        max_length=20,
    ),
]
Format = Annotated[
    str | None,
    Query(
        alias="format",
        description="Tanpa format: JSON. csv, xlsx (buku kerja Excel) atau pdf (untuk "
        "ditandatangani): laporan yang sama sebagai berkas unduhan",
        examples=["xlsx"],
        max_length=20,
    ),
]
FILE_TYPES = {
    CSV_MEDIA_TYPE: "CSV (UTF-8): satu baris jumlah seluruh layanan, satu baris per layanan",
    XLSX_MEDIA_TYPE: "buku kerja XLSX, satu lembar per tabel",
    PDF_MEDIA_TYPE: "PDF A4 untuk ditandatangani Kepala Dinas",
}


class ElementOut(BaseModel):
    code: str = Field(description="Unsur SKM, U1-U9")
    name: str
    average: float = Field(description="Nilai rata-rata (NRR) unsur, skala 1-4")


class IkmOut(BaseModel):
    respondents: int = Field(description="Jawaban survei SKM yang dihitung")
    elements: list[ElementOut]
    value: float = Field(description="IKM skala 1-4 (jumlah NRR x bobot 1/9)")
    converted: float = Field(description="IKM konversi, 25-100")
    grade: str = Field(description="Mutu pelayanan, A-D")
    performance: str = Field(description="Kinerja unit pelayanan")


class FiguresOut(BaseModel):
    filed: int = Field(description="Laporan pengaduan yang diajukan pada bulan itu")
    filed_via: dict[str, int] = Field(
        description="Per jalur masuk: web, api, open311, telepon, loket, surat"
    )
    answered: int = Field(description="Jawabannya terkirim (dan tidak sedang dibuka kembali)")
    declined: int = Field(description="Ditolak: bukan pengaduan atau di luar kewenangan")
    declined_to: dict[str, int] = Field(description="Instansi yang berwenang -> laporan ditolak")
    duplicates: int = Field(description="Digabungkan dengan laporan asli")
    reopened: int = Field(description="Pernah dibuka kembali setelah dijawab")
    closed_without_reply: int = Field(description="Ditutup: pengadu tidak melengkapi data")
    open: int = Field(description="Masih diproses")
    overdue: int = Field(description="Dari yang masih diproses: melewati waktu baku langkahnya")
    steps_completed: int = Field(description="Langkah SOP yang diselesaikan untuk laporan ini")
    steps_within_standard: int = Field(description="... dalam waktu bakunya")
    within_standard_share: float | None = Field(description="Bagian dalam waktu baku, 0..1")
    median_minutes_to_answer: float | None = Field(
        description="Median menit jam kerja dari pengajuan sampai jawaban pertama"
    )
    rated: int = Field(description="Jawaban yang dinilai pengadu (setiap putaran)")
    satisfied: int = Field(description="Yang dinilai puas (3 atau 4)")
    satisfied_share: float | None = Field(description="Bagian puas dari yang dinilai, 0..1")
    ikm: IkmOut | None = Field(description="Indeks Kepuasan Masyarakat; null: tanpa responden")


class ServiceOut(FiguresOut):
    code: str | None = Field(description="Kode layanan perizinan; null: tidak disebutkan")
    name: str
    group: str | None = Field(description="berusaha atau non_berusaha")


class MonthlyReportOut(BaseModel):
    month: str = Field(description="TTTT-BB")
    period_start: datetime
    period_end: datetime = Field(description="Awal bulan berikutnya (tidak termasuk)")
    as_of: datetime = Field(description="Saat laporan dibuat: keadaan setiap laporan saat itu")
    totals: FiguresOut
    services: list[ServiceOut] = Field(description="Per layanan perizinan, urutan katalog")
    method: str = Field(description="Cara setiap angka dihitung")


def today() -> date:
    return clock.now().astimezone(office_calendar().zone).date()


@router.get(
    "/monthly",
    summary="Laporan bulanan",
    response_model=MonthlyReportOut,
    responses={
        200: {
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}} for media in FILE_TYPES
            },
            "description": "Laporan bulanan (JSON), atau berkasnya bila `format` diisi: "
            + "; ".join(f"{media}: {what}" for media, what in FILE_TYPES.items()),
        },
        **error_responses(401, 403, 422),
    },
)
def read_monthly_report(
    month: Month, user: CurrentUser, session: SessionDep, fmt: Format = None
) -> MonthlyReportOut | Response:
    """Laporan pengaduan yang diajukan pada satu bulan (zona waktu kantor), masing-masing menurut
    keadaannya saat ini: jumlah per jalur masuk, dijawab, ditolak (dengan instansi yang
    berwenang), duplikat, dibuka kembali, ditutup tanpa tanggapan, masih diproses dan terlambat;
    langkah dalam waktu baku, median menit jam kerja sampai jawaban, kepuasan dan IKM; total dan
    per layanan perizinan. Untuk Koordinator, Kasi dan Admin Pengaduan. Dengan `format=csv`,
    `xlsx` atau `pdf`: laporan yang sama sebagai berkas."""
    ensure_may_read(user)
    if fmt is not None and fmt not in FORMATS:
        raise InvalidReportFormat(
            f"Format berkas tidak dikenal: {fmt[:20]!r}; pilih salah satu: {', '.join(FORMATS)}"
        )
    first_day = parse_month(month, today=today())
    report = monthly_report(session, first_day, as_of=clock.now())
    if fmt is None:
        return report_out(report)
    return download(export(report, fmt))


def download(file: ExportFile) -> Response:
    """The file as an attachment with its name; never cached (it names no one, but it is the
    office's internal figures)."""
    return Response(
        file.content,
        media_type=file.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{file.filename}"',
            "Cache-Control": "no-store",
        },
    )


def report_out(report: MonthlyReport) -> MonthlyReportOut:
    return MonthlyReportOut(
        month=f"{report.month:%Y-%m}",
        period_start=report.period_start,
        period_end=report.period_end,
        as_of=report.as_of,
        totals=FiguresOut.model_validate(figures_out(report.totals)),
        services=[
            ServiceOut.model_validate(
                {"code": line.code, "name": line.name, "group": line.group}
                | figures_out(line.figures)
            )
            for line in report.services
        ],
        method=report.method,
    )


def figures_out(figures: Figures) -> dict[str, object]:
    return {
        "filed": figures.filed,
        "filed_via": dict(figures.filed_via),
        "answered": figures.answered,
        "declined": figures.declined,
        "declined_to": dict(figures.declined_to),
        "duplicates": figures.duplicates,
        "reopened": figures.reopened,
        "closed_without_reply": figures.closed_without_reply,
        "open": figures.open,
        "overdue": figures.overdue,
        "steps_completed": figures.steps_completed,
        "steps_within_standard": figures.steps_within_standard,
        "within_standard_share": figures.within_standard_share,
        "median_minutes_to_answer": figures.median_minutes_to_answer,
        "rated": figures.rated,
        "satisfied": figures.satisfied,
        "satisfied_share": figures.satisfied_share,
        "ikm": ikm_out(figures.ikm),
    }


def ikm_out(index: skm.Index | None) -> IkmOut | None:
    if index is None:
        return None
    return IkmOut(
        respondents=index.respondents,
        elements=[
            ElementOut(code=element.code, name=element.name, average=round(float(average), 4))
            for element, average in zip(skm.ELEMENTS, index.element_averages, strict=True)
        ],
        value=float(index.value),
        converted=float(index.converted),
        grade=index.grade,
        performance=index.performance,
    )
