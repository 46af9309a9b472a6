"""Errors a browser reads as a page of the service's own design; everything else (the APIs under
``/api/``, a program that does not ask for HTML) keeps the JSON of ``shared.web.api_errors``.

Each service gives one renderer, ``(status, message, scope) -> html``: the exception handlers
below call it with the request's scope, and the middleware that refuses a form before any route
runs (``shared.web.pages.Csrf``: a form too large, a CSRF failure) calls it with the bare ASGI
scope, so those pages carry the same header, menu and stylesheet as every other page."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping
from typing import Any, cast

from asgi_correlation_id import correlation_id
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from shared.web.domain_errors import DomainError
from shared.web.pages import CONTENT_SECURITY_POLICY, SECURITY_HEADERS, ErrorPage

log = logging.getLogger(__name__)

SERVER_ERROR_MESSAGE = "Terjadi kesalahan pada layanan; coba lagi nanti"
NO_STORE = {"Cache-Control": "no-store"}


def wants_html(scope: Scope) -> bool:
    """A browser (it asks for ``text/html``) on a page's address, not the API's."""
    if str(scope.get("path", "")).startswith("/api/"):
        return False
    accept = dict(scope.get("headers") or []).get(b"accept", b"")
    return b"text/html" in accept.lower()


def page_response(
    render: ErrorPage,
    request: Request,
    status: int,
    message: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    return HTMLResponse(
        render(status, message, request.scope),
        status_code=status,
        headers={**NO_STORE, **(headers or {})},
    )


async def _answer(handler: Callable[..., Any], request: Request, exc: Exception) -> Response:
    """What the handler installed before (sync or async) answers."""
    result = handler(request, exc)
    if inspect.isawaitable(result):
        result = await result
    return cast(Response, result)


# Handled one by one below; any other handler's answer (a busy database's 503) becomes a page.
_OWN = (DomainError, RequestValidationError, StarletteHTTPException)


def _as_page(render: ErrorPage, handler: Callable[..., Any]) -> Callable[..., Any]:
    async def page_or_json(request: Request, exc: Exception) -> Response:
        answer = await _answer(handler, request, exc)
        if not wants_html(request.scope) or answer.status_code < 400:
            return answer
        retry = answer.headers.get("retry-after")
        headers = {"Retry-After": retry} if retry else None
        return page_response(render, request, answer.status_code, None, headers)

    return page_or_json


def install_error_pages(app: FastAPI, render: ErrorPage) -> None:
    """HTML pages for a browser in front of the JSON handlers already installed (call after
    ``install_error_handlers``), and a page or JSON for an unhandled exception (500)."""
    for kind, handler in list(app.exception_handlers.items()):
        if isinstance(kind, type) and kind not in _OWN and kind is not Exception:
            app.add_exception_handler(kind, _as_page(render, handler))
    json_domain = app.exception_handlers[DomainError]
    json_validation = app.exception_handlers[RequestValidationError]
    json_http = app.exception_handlers[StarletteHTTPException]

    async def domain(request: Request, exc: Exception) -> Response:
        if wants_html(request.scope) and isinstance(exc, DomainError):
            return page_response(render, request, exc.status_code, exc.message, exc.headers)
        return await _answer(json_domain, request, exc)

    async def validation(request: Request, exc: Exception) -> Response:
        if wants_html(request.scope):
            # A page's address with a malformed query is, to a person, an address that is not.
            status = 404 if request.method in ("GET", "HEAD") else 422
            return page_response(render, request, status)
        return await _answer(json_validation, request, exc)

    async def http(request: Request, exc: Exception) -> Response:
        if wants_html(request.scope) and isinstance(exc, StarletteHTTPException):
            return page_response(render, request, exc.status_code, None, exc.headers)
        return await _answer(json_http, request, exc)

    async def server_error(request: Request, exc: Exception) -> Response:
        # Starlette raises the exception again once this answer is sent (the server logs its
        # traceback); this line ties it to the request id the answer carries.
        request_id = correlation_id.get() or ""
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        headers = {"X-Request-ID": request_id} if request_id else {}
        if wants_html(request.scope):
            # Sent from outside every middleware: the page's own headers go with it.
            headers.update(SECURITY_HEADERS)
            headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
            return page_response(render, request, 500, None, headers)
        return JSONResponse(
            {"code": "internal_error", "message": SERVER_ERROR_MESSAGE},
            status_code=500,
            headers=headers,
        )

    app.add_exception_handler(DomainError, domain)
    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(StarletteHTTPException, http)
    app.add_exception_handler(Exception, server_error)
