"""The operators' page of the console, ``/console/antrean``: every role's backlog (cases
waiting, overdue, the oldest wait) in one table, readable by every role, so anyone on duty can
see at which step complaints pile up (``backlog``; Flower shows only what is in flight)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.workflow.cases.backlog import backlogs
from services.workflow.console.pages import page
from services.workflow.console.session import ConsoleUser
from services.workflow.dependencies import SessionDep
from services.workflow.sla import clock

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/antrean")
def backlog_page(request: Request, _user: ConsoleUser, session: SessionDep) -> Response:
    now = clock.now()
    return page(request, "antrean.html", {"rows": backlogs(session, now), "now": now})
