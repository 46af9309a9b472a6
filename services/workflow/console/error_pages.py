"""The workflow service's answers to what went wrong, for a browser, outside the console's own
routes (``app.install`` draws those with the staff member's menu): an address that is not there
(``/``, ``/foo``), a form refused before any route runs (CSRF, too large) and an unhandled error.
They use the console's design and lead back to the worklist (``shared.web.error_pages``)."""

from __future__ import annotations

from starlette.types import Scope

from services.workflow.console.pages import NAV, TEMPLATES
from shared.web.error_pages import SERVER_ERROR_MESSAGE

TITLES = {
    403: "Formulir kedaluwarsa",
    404: "Halaman tidak ditemukan",
    405: "Tidak dapat dilakukan",
    413: "Isian terlalu besar",
    422: "Isian tidak valid",
    429: "Terlalu banyak percobaan",
    500: "Terjadi kesalahan",
    503: "Layanan sedang sibuk",
}
MESSAGES = {
    403: "Formulir ini sudah kedaluwarsa atau tidak berasal dari halaman kami. Buka kembali "
    "halamannya, lalu kirim lagi.",
    404: "Halaman ini tidak ada. Konsol petugas ada di /console.",
    405: "Halaman ini tidak dapat dibuka dengan cara itu.",
    413: "Isian formulir terlalu besar untuk dikirim. Persingkat isian Anda, lalu kirim lagi.",
    422: "Isian tidak dapat diterima. Muat ulang halaman.",
    500: f"{SERVER_ERROR_MESSAGE}.",
    503: "Layanan sedang sibuk sesaat; tidak ada yang tersimpan. Coba lagi sebentar.",
}
WORKLIST = ("/console", "Kembali ke daftar kerja")


def error_page(status: int, message: str | None, scope: Scope) -> str:
    """Without the staff member's menu: these pages do not look the session up (the database
    may be what failed); the worklist link leads to the login page when there is no session."""
    href, label = WORKLIST
    return TEMPLATES.get_template("galat.html").render(
        title=TITLES.get(status, "Terjadi masalah"),
        message=message or MESSAGES.get(status, "Permintaan tidak dapat diproses."),
        staff=None,
        nav=NAV,
        here=str(scope.get("path", "")),
        confirmation=None,
        csrf="",
        back=href,
        back_label=label,
    )
