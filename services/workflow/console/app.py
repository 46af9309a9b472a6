"""The staff console under ``/console``: server-rendered pages over the same code paths as the
staff API (log in, worklist, steps, paths, claims, search, Mutu Baku report, failed
notifications). This module logs staff in and out, shows the worklist, and wires the console's
routers and error pages into the app."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any, cast

from fastapi import APIRouter, FastAPI, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.workflow.cases.backlog import backlogs
from services.workflow.cases.waiting import waiting_items
from services.workflow.cases.work_items import work_items
from services.workflow.console import attachments as console_attachments
from services.workflow.console import backlog as console_backlog
from services.workflow.console import cases as console_cases
from services.workflow.console import catalogue as console_catalogue
from services.workflow.console import monthly_report as console_monthly_report
from services.workflow.console import notifications as console_notifications
from services.workflow.console import reports as console_reports
from services.workflow.console import search as console_search
from services.workflow.console import taking as console_taking
from services.workflow.console.pages import TEMPLATES, page, redirect
from services.workflow.console.session import (
    LOGIN_URL,
    ConsoleUser,
    NotLoggedIn,
    end_session,
    start_session,
)
from services.workflow.dependencies import SessionDep, SettingsDep
from services.workflow.errors import BadCredentials
from services.workflow.sla import clock
from services.workflow.staff.auth import issue_token
from services.workflow.staff.login import log_in
from services.workflow.staff.login_limits import LoginLocked
from shared.runtime.settings import get_settings
from shared.sop import Role
from shared.web.domain_errors import DomainError

PREFIX = "/console"
router = APIRouter(prefix=PREFIX, include_in_schema=False)

MAX_CREDENTIAL_LENGTH = 200
Credential = Annotated[str, Form(max_length=MAX_CREDENTIAL_LENGTH)]
TEMPLATES.env.globals["credential_max_length"] = MAX_CREDENTIAL_LENGTH  # the fields' maxlength


@router.get("/masuk")
def login_page(request: Request) -> Response:
    return page(request, "masuk.html", {"values": {}, "problem": None})


@router.post("/masuk")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Credential = "",
    password: Credential = "",
) -> Response:
    values = {"username": username}
    if not username.strip() or not password:
        problem = "Isi nama pengguna dan kata sandi Anda."
        return page(request, "masuk.html", {"values": values, "problem": problem}, status_code=422)
    client = request.client.host if request.client else "unknown"
    try:
        user = log_in(session, settings, username=username, password=password, client=client)
    except BadCredentials:
        problem = "Nama pengguna atau kata sandi salah. Periksa lalu coba lagi."
        return page(request, "masuk.html", {"values": values, "problem": problem}, status_code=401)
    except LoginLocked as exc:
        return page(
            request,
            "masuk.html",
            {"values": values, "problem": exc.message},
            status_code=429,
            headers=exc.headers,
        )
    token, ttl = issue_token(user, settings)
    response = redirect(PREFIX)
    start_session(response, token, ttl, settings)
    return response


@router.post("/keluar")
def logout(settings: SettingsDep) -> Response:
    response = redirect(f"{LOGIN_URL}?pesan=keluar")
    end_session(response, settings)
    return response


# The worklist's filter link: the cases waiting for the complainant instead of the role's own.
WAITING_VIEW = "menunggu-pengadu"


@router.get("")
def worklist(
    request: Request,
    user: ConsoleUser,
    session: SessionDep,
    tampil: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    role, now = Role(user.role), clock.now()
    [backlog] = [row for row in backlogs(session, now) if row.role == role]
    waiting = tampil == WAITING_VIEW
    context = {
        "items": [] if waiting else work_items(session, role, now, user.username),
        "waiting": waiting_items(session, user) if waiting else None,
        "waiting_view": WAITING_VIEW,
        "backlog": backlog,
    }
    return page(request, "daftar_kerja.html", context)


def _is_console(request: Request) -> bool:
    path = request.url.path
    return path == PREFIX or path.startswith(f"{PREFIX}/")


ERROR_TITLES = {
    401: "Perlu masuk",
    403: "Bukan tugas Anda",
    404: "Tidak ditemukan",
    405: "Tidak dapat dilakukan",
    409: "Sudah diproses atau sedang dipegang orang lain",
    422: "Isian tidak valid",
    429: "Terlalu banyak percobaan",
}


def error_page(request: Request, status_code: int, message: str, **headers: str) -> Response:
    title = ERROR_TITLES.get(status_code, "Terjadi masalah")
    return page(
        request,
        "galat.html",
        {"title": title, "message": message},
        status_code=status_code,
        headers=headers,
    )


async def _answer(handler: Callable[..., Any], request: Request, exc: Exception) -> Response:
    """What the API's own handler (sync or async) answers."""
    result = handler(request, exc)
    if inspect.isawaitable(result):
        result = await result
    return cast(Response, result)


def install(app: FastAPI) -> None:
    """The console's routes, and its errors as pages: the API's own handlers (JSON) stay for
    everything outside ``/console``."""
    app.include_router(router)
    for module in (
        console_cases,
        console_attachments,
        console_search,
        console_reports,
        console_monthly_report,
        console_notifications,
        console_backlog,
        console_taking,
        console_catalogue,
    ):
        app.include_router(module.router)

    async def not_logged_in(_request: Request, _exc: Exception) -> Response:
        response = redirect(LOGIN_URL)
        end_session(response, get_settings())
        return response

    app.add_exception_handler(NotLoggedIn, not_logged_in)
    api_domain = app.exception_handlers[DomainError]
    api_validation = app.exception_handlers[RequestValidationError]
    api_http = app.exception_handlers[StarletteHTTPException]

    async def domain(request: Request, exc: Exception) -> Response:
        if _is_console(request) and isinstance(exc, DomainError):
            return error_page(request, exc.status_code, exc.message, **(exc.headers or {}))
        return await _answer(api_domain, request, exc)

    async def validation(request: Request, exc: Exception) -> Response:
        if _is_console(request) and request.method == "GET":
            return error_page(request, 404, "Alamat ini tidak dikenal di konsol petugas.")
        if _is_console(request):
            return error_page(request, 422, "Isian tidak dapat diterima. Muat ulang halaman.")
        return await _answer(api_validation, request, exc)

    async def http(request: Request, exc: Exception) -> Response:
        if _is_console(request) and isinstance(exc, StarletteHTTPException):
            message = {
                404: "Halaman ini tidak ada. Kembali ke daftar kerja.",
                405: "Halaman ini tidak dapat dibuka dengan cara itu.",
            }.get(exc.status_code, "Permintaan tidak dapat diproses.")
            return error_page(request, exc.status_code, message)
        return await _answer(api_http, request, exc)

    app.add_exception_handler(DomainError, domain)
    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(StarletteHTTPException, http)
