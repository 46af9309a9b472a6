"""The portal's answers to what went wrong, as pages of its own design for a citizen's browser
(``shared.web.error_pages``): in Indonesian, each with a way back. The same renderer draws the
pages the CSRF layer sends before any route runs, so it needs no request, only the ASGI scope."""

from __future__ import annotations

from typing import NamedTuple

from starlette.types import Scope

from services.intake.portal.filing_pages import TEMPLATES
from shared.web.error_pages import SERVER_ERROR_MESSAGE


class Words(NamedTuple):
    title: str
    message: str


WORDS = {
    403: Words(
        "Formulir kedaluwarsa",
        "Formulir ini sudah kedaluwarsa atau tidak berasal dari halaman kami. Buka kembali "
        "formulirnya, lalu kirim lagi.",
    ),
    404: Words(
        "Halaman tidak ditemukan",
        "Alamat ini tidak ada di layanan pengaduan. Periksa alamatnya, atau mulai dari beranda.",
    ),
    405: Words(
        "Tidak dapat dibuka dengan cara ini",
        "Halaman ini tidak dapat dibuka dengan cara itu. Mulai lagi dari beranda.",
    ),
    413: Words(
        "Isian terlalu besar",
        "Isian formulir terlalu besar untuk dikirim. Persingkat isian Anda, lalu kirim lagi.",
    ),
    422: Words("Isian tidak dapat diterima", "Isian tidak dapat diterima. Muat ulang halaman."),
    429: Words("Terlalu banyak permintaan", "Mohon tunggu sebentar, lalu coba lagi."),
    503: Words(
        "Layanan sedang sibuk",
        "Layanan sedang sibuk sesaat dan isian Anda belum tersimpan. Coba kirim lagi sebentar.",
    ),
    500: Words("Terjadi kesalahan", f"{SERVER_ERROR_MESSAGE}. Laporan yang sudah terkirim aman."),
}
OTHER = Words("Permintaan tidak dapat diproses", "Permintaan tidak dapat diproses.")
FORM_REFUSALS = frozenset({403, 413})
HOME = ("/", "Kembali ke beranda")


def back_link(status: int, scope: Scope) -> tuple[str, str]:
    """A refused form leads back to the form it came from; anything else to the home page."""
    path = str(scope.get("path", "/"))
    if status in FORM_REFUSALS and scope.get("method") == "POST":
        if path == "/":
            return "/", "Kembali ke formulir"
        if path.startswith("/lacak"):
            return path.removesuffix("/balasan"), "Kembali ke formulir"
    if path.startswith("/lacak"):
        return "/lacak", "Kembali ke halaman lacak"
    return HOME


def error_page(status: int, message: str | None, scope: Scope) -> str:
    words = WORDS.get(status, OTHER)
    href, label = back_link(status, scope)
    section = "lacak" if str(scope.get("path", "")).startswith("/lacak") else None
    return TEMPLATES.get_template("galat.html").render(
        title=words.title,
        message=message or words.message,
        status=status,
        back=href,
        back_label=label,
        section=section,
    )
