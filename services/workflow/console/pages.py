"""Rendering the staff console's pages: one template set on the shared layout, every answer
``no-store`` (a case's details must not stay in a shared computer's cache), and the fixed
confirmations a redirect may ask for by key (``?pesan=``; no text is ever taken from the URL).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from services.workflow.console.session import staff_of
from services.workflow.reports.access import may_read
from shared.runtime.settings import get_settings
from shared.sop import PATHS, ROLE_LABELS, STEPS, complainant_desk, next_step
from shared.web.pages import csrf_token, page_templates
from shared.wording.sop_figures import standard_minutes_each, uniform_standard_minutes
from shared.wording.time_words import day_words, time_words

TEMPLATES = page_templates(Path(__file__).parent / "templates")
NO_STORE = {"Cache-Control": "no-store"}

NAV = (
    ("/console", "Daftar kerja"),
    ("/console/cari", "Cari"),
    ("/console/laporan", "Laporan Mutu Baku"),
    ("/console/notifikasi", "Notifikasi gagal"),
    ("/console/antrean", "Antrean"),
    ("/console/layanan", "Katalog layanan"),
)
# Only for the role that speaks with complainants (``sop.complainant_desk``).
DESK_NAV = (("/console/catat", "Catat pengaduan"),)
# Only for the roles that read the monthly report (``reports.access``), after the Mutu Baku's.
REPORT_NAV = (("/console/laporan-bulanan", "Laporan bulanan"),)


def nav_for(role: str | None) -> tuple[tuple[str, str], ...]:
    """The menu of a staff member of ``role`` (None: not logged in)."""
    if role is None:
        return NAV
    reports = REPORT_NAV if may_read(role) else ()
    at = next(i for i, (href, _) in enumerate(NAV) if href == "/console/laporan") + 1
    desk = DESK_NAV if role == complainant_desk().value else ()
    return NAV[:at] + reports + NAV[at:] + desk


def _step_done(number: int) -> str:
    following = next_step(STEPS[number - 1])
    if following is None:
        return f"Langkah {number} selesai. Jawaban diteruskan kepada pengadu."
    return (
        f"Langkah {number} selesai. Laporan pengaduan diteruskan kepada "
        f"{ROLE_LABELS[following.role]}."
    )


def confirmations() -> dict[str, str]:
    """Built when asked, from the SOP as it is then (a test may hand the console another)."""
    return {
        **{f"selesai-{s.number}": _step_done(s.number) for s in STEPS},
        **{f"jalur-{p.name}": f"Tercatat: {p.label}." for p in PATHS},
        "diambil": "Laporan pengaduan ini sekarang Anda tangani.",
        "dilepas": "Laporan pengaduan dilepas dan kembali ke daftar kerja bersama.",
        "catatan": "Catatan internal tersimpan. Catatan ini hanya untuk petugas.",
        "kirim-ulang": "Pemberitahuan akan dikirim ulang.",
        "layanan-dikoreksi": "Layanan perizinan laporan ini dikoreksi; pengadu melihatnya di "
        "halaman lacak.",
        "keluar": "Anda sudah keluar.",
    }


def confirmation(request: Request) -> str | None:
    return confirmations().get(request.query_params.get("pesan", ""))


def page(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    staff = staff_of(request)
    values = {
        "csrf": csrf_token(request.scope),
        "staff": staff,
        "nav": nav_for(staff.role if staff is not None else None),
        "here": request.url.path,
        "confirmation": confirmation(request),
        **(context or {}),
    }
    return TEMPLATES.TemplateResponse(
        request, template, values, status_code=status_code, headers={**NO_STORE, **(headers or {})}
    )


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=NO_STORE)


def office_time(moment: datetime | None) -> str:
    """A moment as the office reads it: ``30 November 2026, 09.05 WIB``."""
    if moment is None:
        return "-"
    return time_words(moment, ZoneInfo(get_settings().office.timezone))


def time_left(minutes_left: float, *, overdue: bool) -> str:
    """Time against the step's standard, in whole office minutes, as a clerk reads it."""
    if overdue:
        late = math.floor(-minutes_left)
        return f"terlambat {late} menit" if late >= 1 else "terlambat kurang dari 1 menit"
    left = math.ceil(minutes_left)  # 4.2 minutes left is "sisa 5 menit": the minute running
    return f"sisa {left} menit" if minutes_left >= 1 else "sisa kurang dari 1 menit"


def minutes(value: float | None) -> str:
    if value is None:
        return "-"
    text = f"{value:.1f}".replace(".", ",")
    return text.removesuffix(",0")


def percent(share: float | None) -> str:
    if share is None:
        return "-"
    return f"{round(share * 100)}%"


TEMPLATES.env.filters.update(wib=office_time, tanggal=day_words, menit=minutes, persen=percent)
TEMPLATES.env.globals.update(
    time_left=time_left,
    uniform_standard_minutes=uniform_standard_minutes,
    standard_minutes_each=standard_minutes_each,
)
