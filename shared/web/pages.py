"""Server-rendered pages, shared by the citizens' portal (intake) and the staff console
(workflow): one Jinja2 set-up, one small self-hosted stylesheet and script set, CSRF on every
form, and the security headers every answer carries.

Pages use no CDN (the office's network may be closed) and no inline script or style, so the
content security policy can forbid both.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Callable
from pathlib import Path
from typing import Any

from asgi_csrf import DEFAULT_SIGNING_NAMESPACE as CSRF_SIGNING_NAMESPACE
from asgi_csrf import asgi_csrf, cookies_from_scope
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature
from itsdangerous.url_safe import URLSafeSerializer
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.runtime.settings import get_settings
from shared.web.multipart_token import multipart_token
from shared.web.request_body import read_at_most, replay, replay_messages, run_capped

SHARED_TEMPLATES = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
STATIC_PREFIX = "/static"
CSRF_COOKIE = "pgd_csrf"
CSRF_FIELD = "csrftoken"  # the hidden form field asgi-csrf looks for
CSRF_HEADER = b"x-csrftoken"  # and the header it takes instead

OFFICE = "DPMPTSP Kota Madiun"
OFFICE_FULL = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Madiun"

# Pages load only what the service itself serves; nothing may frame them.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
# The API documentation pages (shared.web.api_docs) start Swagger UI and ReDoc with inline
# script and style, and ReDoc runs a worker from a blob: they get their own policy, which still
# keeps every load inside the service.
API_DOCS_PATHS = ("/docs", "/redoc")
API_DOCS_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
        "script-src 'self' 'unsafe-inline'",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


# A page's HTML for an error status, with the message to show (None: the status's own words),
# drawn by the service in its own design (shared.web.error_pages).
ErrorPage = Callable[[int, str | None, Scope], str]


def page_templates(service_templates: Path) -> Jinja2Templates:
    """The service's templates, falling back to the shared layout and form macros."""
    env = Environment(
        loader=ChoiceLoader(
            [FileSystemLoader(service_templates), FileSystemLoader(SHARED_TEMPLATES)]
        ),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,  # a misspelt variable fails the test, not the citizen
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(office=OFFICE, office_full=OFFICE_FULL, static=static_url)
    return Jinja2Templates(env=env)


def static_url(path: str) -> str:
    """``/static/<path>?v=<content hash>``: a release that changes a file changes its address, so
    no browser keeps the old one."""
    return f"{STATIC_PREFIX}/{path}?v={_digest(path)}"


def _digest(path: str, _cache: dict[str, str] = {}) -> str:  # noqa: B006 - a per-process cache
    if path not in _cache:
        _cache[path] = hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:12]
    return _cache[path]


SECURITY_HEADERS = (
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=()"),
)


class SecurityHeaders:
    """Headers on every answer: no sniffing, no framing, no referrer (a tracking code in the
    address must not leak to another site), HSTS behind HTTPS, and the page policy above."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.headers = [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS]
        if https:
            self.headers.append((b"strict-transport-security", b"max-age=31536000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = (
            API_DOCS_POLICY
            if str(scope["path"]).startswith(API_DOCS_PATHS)
            else CONTENT_SECURITY_POLICY
        ).encode()

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [h for h in self.headers if h[0] not in names]
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", policy))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


# asgi-csrf reads a form's whole body to find its token: no form here needs more than this (the
# longest, a complaint of 5,000 characters, percent-encoded, stays well below).
MAX_FORM_BYTES = 100_000
FORM_BODY = "pengaduan.form_body"
MULTIPART_TOO_LARGE_MESSAGE = (
    "Berkas yang dilampirkan terlalu besar untuk dikirim. Kurangi jumlah atau ukuran lampiran, "
    "lalu kirim lagi."
)
FORM_TOO_LARGE_PAGE = (
    "<!doctype html><html lang=id><meta charset=utf-8><title>Isian terlalu besar</title>"
    "<p>Isian formulir terlalu besar untuk dikirim. Persingkat isian Anda, lalu kirim lagi."
    "</p></html>"
)


class Csrf:
    """asgi-csrf (a signed double-submit cookie) as Starlette middleware. Every form posts the
    token in a hidden ``csrftoken`` field; the JSON API under /api/ is left out, since it
    authenticates by header (access token, Bearer), never by cookie.

    A form's body is read here first, at most ``MAX_FORM_BYTES`` (asgi-csrf would read any
    size), and asgi-csrf sees it with invalid UTF-8 replaced (it decodes strictly and would
    fail with a 500); the page itself receives the body exactly as sent, to judge it.

    A multipart form (one that carries files) is not read ahead: only up to its token (which
    the page puts before any file; ``multipart_token``), and the whole body streams to the
    route under ``max_multipart_bytes`` (``run_capped``), refused with 413 once past it.

    Both refusals are pages of the service's design when it gives ``error_page`` (bare ones
    otherwise): they come before any route, so the service's renderer is handed in here."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        secret: str,
        secure: bool,
        error_page: ErrorPage | None = None,
        max_multipart_bytes: int = MAX_FORM_BYTES,
    ) -> None:
        self.app = app
        self.error_page = error_page
        self.max_multipart_bytes = max_multipart_bytes
        self.signer = URLSafeSerializer(secret)
        self.checked = asgi_csrf(
            self._with_original_body,
            cookie_name=CSRF_COOKIE,
            signing_secret=secret,
            cookie_secure=secure,
            cookie_samesite="Strict",
            skip_if_scope=_is_api,
            send_csrf_failed=self._csrf_failed,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _is_api(scope):
            # Not past asgi-csrf at all: it would sign a fresh token for every cookieless
            # request (every API call), only to skip the check.
            await self.app(scope, receive, send)
            return
        # asgi-csrf lets a post with no cookie at all through (an API client, it assumes); a
        # form here always comes from a page that set the cookie, so refuse it instead.
        if (
            scope["type"] == "http"
            and scope["method"] not in SAFE_METHODS
            and not _is_api(scope)
            and not any(name == b"cookie" for name, _ in scope["headers"])
        ):
            await self._csrf_failed(scope, send, None)
            return
        if scope["type"] == "http" and _is_form_post(scope):
            body = await read_at_most(receive, MAX_FORM_BYTES)
            if body is None:
                await self._refuse(scope, send, 413, FORM_TOO_LARGE_PAGE)
                return
            scope = {**scope, FORM_BODY: body}
            receive = replay(body.decode("utf-8", "replace").encode("utf-8"), receive)
        elif scope["type"] == "http" and _is_multipart_post(scope):
            if not _has_boundary(scope):  # asgi-csrf would fail on it with a 500
                await self._csrf_failed(scope, send, None)
                return
            too_large = functools.partial(self._multipart_too_large, scope)
            await run_capped(
                self._checked_multipart, scope, receive, send, self.max_multipart_bytes, too_large
            )
            return
        await self.checked(scope, receive, send)

    async def _checked_multipart(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The form's token found before any file (``multipart_token``) and checked against the
        signed cookie; asgi-csrf then sees it as its header, and the app the body as sent."""
        boundary = _content_type(scope).split(b"; boundary=")[1]
        # The token is the form's first field: it is within the size of a plain form, or absent.
        token, read = await multipart_token(boundary, receive, within=MAX_FORM_BYTES)
        if token is None or not self._is_cookie_token(scope, token):
            await self._csrf_failed(scope, send, None)
            return
        headers = [(k, v) for k, v in scope["headers"] if k != CSRF_HEADER]
        scope = {**scope, "headers": [*headers, (CSRF_HEADER, token.encode())]}
        await self.checked(scope, replay_messages(read, receive), send)

    def _is_cookie_token(self, scope: Scope, token: str) -> bool:
        cookie = cookies_from_scope(scope).get(CSRF_COOKIE, "")
        try:
            self.signer.loads(cookie, CSRF_SIGNING_NAMESPACE)
        except BadSignature:
            return False
        return hmac.compare_digest(cookie.encode(), token.encode())

    async def _multipart_too_large(self, scope: Scope, send: Send) -> None:
        page = (
            FORM_TOO_LARGE_PAGE
            if self.error_page is None
            else self.error_page(413, MULTIPART_TOO_LARGE_MESSAGE, scope)
        )
        await _send_page(send, 413, page)

    async def _csrf_failed(self, scope: Scope, send: Send, _reason: Any) -> None:
        await self._refuse(scope, send, 403, CSRF_FAILED_PAGE)

    async def _refuse(self, scope: Scope, send: Send, status: int, bare: str) -> None:
        page = bare if self.error_page is None else self.error_page(status, None, scope)
        await _send_page(send, status, page)

    async def _with_original_body(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = scope.get(FORM_BODY)
        await self.app(scope, receive if body is None else replay(body, receive), send)


def _is_multipart_post(scope: Scope) -> bool:
    if scope["method"] in SAFE_METHODS or _is_api(scope):
        return False
    return _content_type(scope).split(b";", 1)[0].strip() == b"multipart/form-data"


def _has_boundary(scope: Scope) -> bool:
    # asgi-csrf splits the header on exactly "; boundary=", as every browser writes it.
    parts = _content_type(scope).split(b"; boundary=")
    return len(parts) == 2 and 0 < len(parts[1]) <= 200


def _content_type(scope: Scope) -> bytes:
    value: bytes = dict(scope["headers"]).get(b"content-type", b"")
    return value


def _is_form_post(scope: Scope) -> bool:
    if scope["method"] in SAFE_METHODS or _is_api(scope):
        return False
    content_type: bytes = dict(scope["headers"]).get(b"content-type", b"")
    return content_type.split(b";", 1)[0].strip() == b"application/x-www-form-urlencoded"


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# The JSON API and Open311 GeoReport v2 (whose requests are form-encoded, by other systems with
# an API key, never a browser holding a cookie): no CSRF check there.
API_PREFIXES = ("/api/", "/open311/")


def _is_api(scope: Scope) -> bool:
    return str(scope["path"]).startswith(API_PREFIXES)


CSRF_FAILED_PAGE = (
    "<!doctype html><html lang=id><meta charset=utf-8><title>Formulir kedaluwarsa</title>"
    "<p>Formulir ini sudah kedaluwarsa atau tidak berasal dari halaman kami. Muat ulang "
    "halaman, lalu kirim lagi.</p></html>"
)


async def _send_page(send: Send, status: int, page: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": page.encode()})


def csrf_token(request_scope: Scope) -> str:
    """The token a page puts in its forms (asgi-csrf keeps it in the request scope)."""
    get: Callable[[], str] = request_scope["csrftoken"]
    return get()


def install_pages(
    app: FastAPI, error_page: ErrorPage | None = None, *, max_multipart_bytes: int = MAX_FORM_BYTES
) -> None:
    """Static files, CSRF on forms and the security headers, for a service that serves pages;
    ``error_page`` draws the forms' refusals in the service's design; ``max_multipart_bytes``
    bounds a form that carries files."""
    settings = get_settings()
    # A key of its own, derived from the service's secret: a CSRF token opens nothing else.
    secret = hmac.new(settings.jwt_key().encode(), b"pengaduan-csrf", hashlib.sha256).hexdigest()
    app.add_middleware(
        Csrf,
        secret=secret,
        secure=settings.cookies_secure,
        error_page=error_page,
        max_multipart_bytes=max_multipart_bytes,
    )
    app.add_middleware(SecurityHeaders, https=settings.cookies_secure)
    app.mount(STATIC_PREFIX, StaticFiles(directory=STATIC_DIR), name="static")
