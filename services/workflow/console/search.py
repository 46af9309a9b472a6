"""The console's search: the filters of ``GET /api/v1/cases`` (``search.CaseFilter``) as a
form, and ``search.find_cases``'s page of results."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from services.workflow.cases import identity, search
from services.workflow.catalogue.entries import all_entries
from services.workflow.console.pages import TEMPLATES, page
from services.workflow.console.session import ConsoleUser
from services.workflow.dependencies import SessionDep
from services.workflow.errors import InvalidFilter
from services.workflow.sla import clock, step_clock
from shared.web.service_choices import grouped_choices

router = APIRouter(prefix="/console", include_in_schema=False)

# The form's fields: the filter each one sets, and its label for an error message.
FIELDS = {
    "q": "Kata kunci",
    "status": "Status",
    "filed_from": "Diajukan sejak",
    "filed_to": "Diajukan sampai",
    "overdue": "Waktu",
    "service_code": "Layanan",
}
PAGE_SIZE = 20
TEMPLATES.env.globals["query_max_length"] = search.MAX_QUERY_LENGTH  # the box's maxlength
STATUS_CHOICES = [(code, search.status_label(code)) for code in search.KNOWN_STATUSES]


def _filter_input(request: Request) -> dict[str, Any]:
    given = {name: request.query_params.get(name, "").strip() for name in (*FIELDS, "offset")}
    values: dict[str, Any] = {name: value for name, value in given.items() if value}
    if "status" in values:
        values["status"] = [values["status"]]
    return {**values, "limit": PAGE_SIZE}


def _problems(exc: ValidationError) -> list[str]:
    problems = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        reason = str(error.get("ctx", {}).get("error", "")) or "tidak valid"
        problems.append(f"{FIELDS.get(name, 'Halaman')}: {reason}")
    return problems


@router.get("/cari")
def find(request: Request, user: ConsoleUser, session: SessionDep) -> Response:
    given = _filter_input(request)
    form = {name: request.query_params.get(name, "") for name in FIELDS}
    context: dict[str, Any] = {
        "form": form,
        "status_choices": STATUS_CHOICES,
        # Withdrawn services too: the cases that named them are still found by them.
        "service_groups": grouped_choices(all_entries(session)),
        "searched": any(form.values()),
        "problems": [],
        "results": [],
        "total": 0,
        "previous_offset": None,
        "next_offset": None,
        "query_for": lambda offset: urlencode(
            {**{k: v for k, v in form.items() if v}, "offset": offset}
        ),
    }
    try:
        filters = search.CaseFilter.model_validate(given)
        now = clock.now()
        found = search.find_cases(session, filters, now=now, reader=user)
    except ValidationError as exc:
        context["problems"] = _problems(exc)
        return page(request, "cari.html", context, status_code=422)
    except InvalidFilter:
        context["problems"] = ["Tanggal 'diajukan sejak' tidak boleh setelah 'diajukan sampai'."]
        return page(request, "cari.html", context, status_code=422)
    context.update(
        results=[
            (
                case,
                identity.scrubber(case, user)(case.subject),
                search.status_label(case.status),
                step_clock.is_overdue(case, now),
            )
            for case in found.cases
        ],
        total=found.total,
        previous_offset=max(0, filters.offset - PAGE_SIZE) if filters.offset else None,
        next_offset=(
            filters.offset + PAGE_SIZE if filters.offset + PAGE_SIZE < found.total else None
        ),
    )
    return page(request, "cari.html", context)
