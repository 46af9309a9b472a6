"""The citizens' route for a lost access token: ``POST /api/v1/complaints/{code}/access-link``.

One answer for every code (``access_links.neutral_message``), known or not, with a contact or
without; the request is counted against the client's limit and the code's (every code alike,
so a 429 says nothing of the code either). The portal's "lupa token?" form asks through
``ask_for_link`` too.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, Field

from services.intake.api import client_limits
from services.intake.api.dependencies import NO_STORE, SessionDep
from services.intake.tracking import access_links
from shared.web.api_errors import error_responses

router = APIRouter(prefix="/api/v1/complaints")


class AccessLinkOut(BaseModel):
    """The same answer whatever the code."""

    message: str = Field(
        description="Pesan yang sama untuk setiap kode pelacakan",
        examples=["Permintaan Anda telah kami terima. Bila kode pelacakan tersebut terdaftar ..."],
    )


def ask_for_link(session: SessionDep, request: Request, tracking_code: str) -> str:
    """Count the request (client, then code; ``RateLimited`` over either), queue it, and give
    the one answer."""
    client_limits.count("access_link", request)
    client_limits.count_for("access_link_per_code", access_links.limit_key(tracking_code))
    access_links.request_link(session, tracking_code)
    return access_links.neutral_message()


@router.post(
    "/{tracking_code}/access-link",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Minta tautan untuk membuat token akses baru (lupa token akses)",
    responses=error_responses(429, 503),
)
def access_link(
    tracking_code: str, session: SessionDep, request: Request, response: Response
) -> AccessLinkOut:
    """Untuk pengadu yang kehilangan **token akses**. Bila laporan pengaduan dengan kode
    pelacakan ini mencantumkan email atau nomor HP, tautan sekali pakai dikirim ke kontak itu
    (ke email bila ada, bila tidak lewat SMS). Tautan membuka halaman portal untuk membuat
    token akses baru; token akses lama langsung tidak berlaku lagi. Tautan berlaku 30 menit
    (pengaturan `PENGADUAN_ACCESS_LINK_MINUTES`), hanya dapat dipakai sekali, dan permintaan
    baru membatalkan tautan yang diminta sebelumnya.

    Jawabannya **selalu sama** (202 dengan pesan yang sama), baik kode pelacakan itu terdaftar,
    tidak terdaftar, maupun milik laporan tanpa kontak (laporan anonim): jawaban ini tidak
    memberi tahu apa pun tentang kode tersebut. Permintaan dibatasi per alamat pengirim dan per
    kode pelacakan; lewat batas dijawab 429 dengan header `Retry-After`."""
    message = ask_for_link(session, request, tracking_code)
    response.headers.update(NO_STORE)
    return AccessLinkOut(message=message)
