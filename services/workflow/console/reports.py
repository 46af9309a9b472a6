"""The console's Mutu Baku report: ``sla_report`` for a range of office dates (this month by
default), as a table, a bar chart in SVG, and the API's CSV file behind the session cookie."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.workflow.console.pages import page
from services.workflow.console.session import ConsoleUser
from services.workflow.dependencies import SessionDep, SettingsDep
from services.workflow.errors import InvalidReportRange
from services.workflow.sla import clock
from services.workflow.sla.chart import share_chart
from services.workflow.sla.dispositions import Cursor
from services.workflow.sla.report import (
    DISPOSITIONS_SHOWN,
    parse_range,
    role_label,
    sla_report,
    step_name,
)
from services.workflow.sla.report_csv import CSV_MEDIA_TYPE, TOTAL_LABEL, csv_filename, csv_text
from shared.runtime.settings import Settings
from shared.wording.time_words import month_words

router = APIRouter(prefix="/console", include_in_schema=False)

From = Annotated[str | None, Query(alias="from", max_length=32)]
To = Annotated[str | None, Query(alias="to", max_length=32)]
CursorParam = Annotated[str | None, Query(max_length=40)]


def this_month(settings: Settings) -> tuple[date, date]:
    today = clock.now().astimezone(ZoneInfo(settings.office.timezone)).date()
    last = calendar.monthrange(today.year, today.month)[1]
    return today.replace(day=1), today.replace(day=last)


def _range_text(first: str | None, last: str | None, settings: Settings) -> tuple[str, str]:
    default_first, default_last = this_month(settings)
    return (first or default_first.isoformat(), last or default_last.isoformat())


@router.get("/laporan")
def report(
    request: Request,
    _user: ConsoleUser,
    session: SessionDep,
    settings: SettingsDep,
    first: From = None,
    last: To = None,
    cursor: CursorParam = None,
) -> Response:
    """The report, its dispositions a page at a time (``cursor``: the "berikutnya" link's)."""
    first_text, last_text = _range_text(first, last, settings)
    context: dict[str, Any] = {"first": first_text, "last": last_text, "problem": None}
    try:
        after = Cursor.parse(cursor) if cursor else None
        figures = sla_report(
            session,
            parse_range(first_text, last_text),
            dispositions_shown=DISPOSITIONS_SHOWN,
            after=after,
        )
    except InvalidReportRange as exc:
        context["problem"] = exc.message
        return page(request, "laporan.html", context, status_code=422)
    context.update(
        report=figures,
        chart=share_chart(figures.steps),
        step_name=step_name,
        role_label=role_label,
        total_label=TOTAL_LABEL,
        month_words=month_words,
        later_page=after is not None,
        next_query=urlencode(
            {"from": first_text, "to": last_text, "cursor": figures.dispositions_next}
        )
        if figures.dispositions_next
        else None,
    )
    return page(request, "laporan.html", context)


@router.get("/laporan.csv")
def report_csv(
    _user: ConsoleUser,
    session: SessionDep,
    settings: SettingsDep,
    first: From = None,
    last: To = None,
) -> Response:
    first_text, last_text = _range_text(first, last, settings)
    figures = sla_report(session, parse_range(first_text, last_text))
    return Response(
        csv_text(figures),
        media_type=CSV_MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{csv_filename(figures)}"',
            "Cache-Control": "no-store",
        },
    )
