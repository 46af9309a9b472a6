"""The console's monthly report (*laporan bulanan*, ``reports.monthly``): a month's complaints
in total and per licensing service, the charts (``reports.charts``) and the files
(``reports.exports``) behind the session cookie, for the Koordinator, the Kasi and the Admin
Pengaduan."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.workflow.console.pages import page
from services.workflow.console.session import ConsoleUser
from services.workflow.dependencies import SessionDep
from services.workflow.errors import InvalidReportFormat, InvalidReportMonth
from services.workflow.reports import charts
from services.workflow.reports.access import ensure_may_read
from services.workflow.reports.exports import FORMATS, ExportFile, export
from services.workflow.reports.method import FIGURES
from services.workflow.reports.monthly import monthly_report
from services.workflow.reports.period import current_month, parse_month
from services.workflow.reports.shape import INTAKE_ROUTE_LABELS, INTAKE_ROUTES
from services.workflow.sla import clock
from services.workflow.sla.office_calendar import office_calendar
from shared import skm
from shared.licensing_services import GROUP_LABELS, ServiceGroup
from shared.wording.time_words import month_words

router = APIRouter(prefix="/console", include_in_schema=False)

PAGE = "/console/laporan-bulanan"
Month = Annotated[str | None, Query(alias="bulan", max_length=20)]
Format = Annotated[str, Query(alias="format", max_length=20)]
FILE_LABELS = {
    "csv": "CSV (lembar kerja)",
    "xlsx": "XLSX (Excel)",
    "pdf": "PDF (untuk ditandatangani)",
}


def _month_text(bulan: str | None) -> str:
    return bulan or f"{current_month(clock.now(), office_calendar().zone):%Y-%m}"


def _today() -> date:
    return clock.now().astimezone(office_calendar().zone).date()


@router.get("/laporan-bulanan")
def monthly_page(
    request: Request, user: ConsoleUser, session: SessionDep, bulan: Month = None
) -> Response:
    ensure_may_read(user)
    month_text = _month_text(bulan)
    context: dict[str, Any] = {
        "month_text": month_text,
        "max_month": f"{_today():%Y-%m}",
        "problem": None,
    }
    try:
        first_day = parse_month(month_text, today=_today())
    except InvalidReportMonth as exc:
        context["problem"] = exc.message
        return page(request, "laporan_bulanan.html", context, status_code=422)
    report = monthly_report(session, first_day, as_of=clock.now())
    context.update(
        report=report,
        month_label=month_words(report.month),
        last_day=(report.period_end - timedelta(days=1)).date(),
        charts=[
            ("Hasil penanganan", charts.outcomes_chart(report)),
            ("Jalur masuk", charts.routes_chart(report)),
            ("Pengaduan per layanan perizinan", charts.services_chart(report)),
        ],
        routes=[(INTAKE_ROUTE_LABELS[r], report.totals.filed_via[r]) for r in INTAKE_ROUTES],
        group_label=_group_label,
        elements=skm.ELEMENTS,
        method=FIGURES,
        files=[(fmt, FILE_LABELS[fmt]) for fmt in FORMATS],
    )
    return page(request, "laporan_bulanan.html", context)


@router.get("/laporan-bulanan/berkas")
def monthly_file(
    user: ConsoleUser, session: SessionDep, fmt: Format, bulan: Month = None
) -> Response:
    """The same report as a file; a wrong month or format is the console's error page."""
    ensure_may_read(user)
    if fmt not in FORMATS:
        raise InvalidReportFormat(
            f"Format berkas tidak dikenal: {fmt[:20]!r}; pilih salah satu: {', '.join(FORMATS)}"
        )
    first_day = parse_month(_month_text(bulan), today=_today())
    return _download(export(monthly_report(session, first_day, as_of=clock.now()), fmt))


def _download(file: ExportFile) -> Response:
    return Response(
        file.content,
        media_type=file.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{file.filename}"',
            "Cache-Control": "no-store",
        },
    )


def _group_label(group: str | None) -> str:
    if group is None:
        return "-"
    try:
        return GROUP_LABELS[ServiceGroup(group)]
    except ValueError:
        return group
