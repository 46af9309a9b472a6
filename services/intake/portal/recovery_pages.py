"""The citizens' portal, a lost access token: the "lupa token?" form (``/lacak/lupa``), which
asks for a one-time link exactly as the API does and answers every code alike, and the page the
link opens (``/lacak/pulihkan``), which sets a new access token, shows it once, and lets this
browser into the tracking page.

The link's page only looks at the link (a mail scanner may open it first); the button posts it,
and only the post uses it. The link's token sits in the address the email gave: it is single
use, the pages send no referrer, and the access log masks it (``shared.runtime.log_setup``).
Included before ``tracking_pages``, whose ``/lacak/{kode}`` would otherwise take these paths.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from services.intake.api.access_link import ask_for_link
from services.intake.api.client_limits import RateLimited
from services.intake.api.dependencies import SessionDep
from services.intake.portal.filing_pages import FormDep, limited_page, render
from services.intake.portal.forms import UNREADABLE_MESSAGE
from services.intake.tracking import access as tracking_access
from services.intake.tracking import access_links
from services.intake.tracking.access_links import LinkState, LinkUnusable
from shared.runtime.settings import get_settings

router = APIRouter(include_in_schema=False)

# What a link that no longer works says, and its status.
UNUSABLE: dict[LinkState, tuple[str, str, int]] = {
    LinkState.USED: (
        "Tautan sudah dipakai",
        "Tautan ini sudah dipakai untuk membuat token akses baru dan tidak dapat dipakai lagi.",
        410,
    ),
    LinkState.EXPIRED: (
        "Tautan sudah kedaluwarsa",
        "Tautan ini sudah melewati batas waktunya dan tidak dapat dipakai lagi.",
        410,
    ),
    LinkState.SUPERSEDED: (
        "Tautan sudah diganti",
        "Setelah tautan ini dikirim, tautan yang lebih baru diminta untuk laporan pengaduan "
        "yang sama; hanya tautan terbaru yang berlaku. Pakai tautan pada pesan terbaru.",
        410,
    ),
    LinkState.UNKNOWN: (
        "Tautan tidak dikenal",
        "Tautan ini tidak kami kenal. Periksa apakah alamatnya tersalin utuh dari pesan.",
        404,
    ),
}


def _minutes() -> int:
    return get_settings().limits.access_link_minutes


def _forgot_form(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {"section": "lacak", "values": values, "errors": errors or {}, "minutes": _minutes()}
    return render(request, "lupa_token.html", context, status_code=status_code)


@router.get("/lacak/lupa", response_class=HTMLResponse)
def forgot_form(request: Request, kode: Annotated[str, Query(max_length=64)] = "") -> HTMLResponse:
    return _forgot_form(request, {"kode": kode})


@router.post("/lacak/lupa", response_class=HTMLResponse)
def forgot(request: Request, form: FormDep, session: SessionDep) -> HTMLResponse:
    if not form.readable:
        return _forgot_form(request, {}, {"kode": UNREADABLE_MESSAGE}, status_code=422)
    code = form.get("kode").strip()
    if not code:
        return _forgot_form(request, {}, {"kode": "Kode pelacakan wajib diisi"}, status_code=422)
    try:
        message = ask_for_link(session, request, code[:64])
    except RateLimited as exc:
        page = render(
            request,
            "limited.html",
            {"section": "lacak", "problem": exc.message, "back": "/lacak/lupa"},
            status_code=429,
        )
        page.headers.update(exc.headers or {})
        return page
    return render(request, "lupa_terkirim.html", {"section": "lacak", "message": message})


def _unusable(request: Request, state: LinkState) -> HTMLResponse:
    title, message, status_code = UNUSABLE[state]
    context = {"section": "lacak", "title": title, "message": message}
    return render(request, "pulihkan_gagal.html", context, status_code=status_code)


@router.get("/lacak/pulihkan", response_class=HTMLResponse)
def recovery_page(
    request: Request,
    session: SessionDep,
    token: Annotated[str, Query(max_length=access_links.MAX_TOKEN_LENGTH)] = "",
) -> HTMLResponse:
    looked = access_links.inspect(session, token)
    if looked.complaint is None:
        return _unusable(request, looked.state)
    context = {"section": "lacak", "token": token, "tracking_code": looked.complaint.tracking_code}
    return render(request, "pulihkan.html", context)


@router.post("/lacak/pulihkan", response_class=HTMLResponse)
def recover(request: Request, form: FormDep, session: SessionDep) -> Response:
    if (limited := limited_page(request, "tracking", "/lacak")) is not None:
        return limited
    try:
        complaint, new_token = access_links.redeem(session, form.get("token"))
    except LinkUnusable as exc:
        return _unusable(request, exc.state)
    page = render(
        request,
        "pulihkan_selesai.html",
        {
            "section": "lacak",
            "tracking_code": complaint.tracking_code,
            "access_token": new_token,
        },
    )
    # The browser that set the token may follow the complaint at once, as after the login form.
    tracking_access.grant(page, complaint)
    return page
