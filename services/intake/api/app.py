"""The citizens' API's app: the complaint routes (``complaints``), the app channel's and the
portal's routers, and the ground every request stands on (error handlers, the body limit, request
logging, health, metrics, the outbox relay).

Run with ``uvicorn --factory services.intake.api.app:create_app``.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from services.intake.api import (
    access_link,
    app_channel,
    attachments,
    complaints,
    feedback,
    open311,
    personal_data,
    privacy,
    services,
)
from services.intake.api.body_limit import BodyLimit
from services.intake.database import get_db
from services.intake.metrics import registry_for
from services.intake.portal import (
    feedback_pages,
    filing_pages,
    privacy_pages,
    recovery_pages,
    tracking_pages,
)
from services.intake.portal.error_pages import error_page
from services.intake.tracking.codes import CodeSpaceExhausted
from shared.process.service_wiring import relay_lifespan
from shared.runtime.production_checks import require_production_ready
from shared.runtime.request_logging import install_request_logging
from shared.runtime.settings import get_settings
from shared.sop import total_standard_minutes
from shared.web.api_docs import api_app
from shared.web.api_errors import install_error_handlers
from shared.web.error_pages import install_error_pages
from shared.web.health import readiness_router
from shared.web.icons import favicon_router, manifest_router
from shared.web.metrics import metrics_router
from shared.web.pages import MAX_FORM_BYTES, OFFICE, install_pages
from shared.wording.sop_figures import (
    standard_minutes_each,
    step_count_words,
    uniform_standard_minutes,
)

log = logging.getLogger(__name__)


def description() -> str:
    """The API's description; the SOP's figures are read when the app is made."""
    return f"""
Layanan pengaduan online **DPMPTSP Kota Madiun** untuk masyarakat dan pelaku usaha tentang
pelayanan perizinan berusaha dan non berusaha.

1. Ajukan laporan pengaduan dengan `POST /api/v1/complaints`, dengan `service_code` layanan
   yang diadukan dari katalog `GET /api/v1/services` (tidak wajib). Anda menerima
   **kode pelacakan** dan **token akses**. Token akses hanya ditampilkan sekali: simpan baik-baik.
2. Lampirkan foto atau PDF (bila ada) dengan `POST .../attachments`, satu berkas setiap kali.
3. Ikuti perkembangannya dengan `GET /api/v1/complaints/{{kode_pelacakan}}` dan header
   `X-Access-Token`. Jawaban pengaduan tampil di sana setelah dikirim kepada Anda.
4. Bila memilih saluran `app`: baca kotak masuk di `GET .../messages`, pantau secara langsung
   di `GET .../events` (Server-Sent Events), atau aktifkan notifikasi push peramban dengan
   kunci dari `GET /api/v1/push/public-key` dan `POST .../push-subscriptions`.
5. Kehilangan token akses? Minta tautan sekali pakai dengan
   `POST /api/v1/complaints/{{kode_pelacakan}}/access-link`: bila laporan mencantumkan email
   atau nomor HP, tautan untuk membuat token akses baru dikirim ke sana.

Saluran jawaban (`channels`): `email`, `sms`, `whatsapp` (ke nomor telepon yang Anda isi) dan
`app`. Bila semua saluran pilihan Anda gagal terkirim, kami mencoba kontak lain yang Anda isi,
berurutan email, SMS, lalu WhatsApp, masing-masing sekali.

Laporan pengaduan ditangani dalam {step_count_words()} SOP, {_standards()}
(total {total_standard_minutes()} menit).
"""


def _standards() -> str:
    same = uniform_standard_minutes()
    if same is not None:
        return f"masing-masing dengan waktu baku {same} menit"
    return f"dengan waktu baku {standard_minutes_each()}"


async def _busy(_: Request, exc: IntegrityError | CodeSpaceExhausted) -> JSONResponse:
    # Ten tracking codes in a row already in use (the code space far fuller than it should
    # be), or a unique value lost to a concurrent request. Nothing was committed.
    log.error("filing refused, nothing committed: %s", exc)
    return JSONResponse(
        {"code": "temporarily_unavailable", "message": "Layanan sedang sibuk, coba lagi sebentar"},
        status_code=503,
        headers={"Retry-After": "1"},
    )


def create_app() -> FastAPI:
    require_production_ready("intake-api", services=("intake",))
    app = api_app(
        title="Pengaduan DPMPTSP Kota Madiun — Layanan Masyarakat",
        description=description(),
        version="1.0.0",
        lifespan=relay_lifespan(get_db, "intake"),
    )
    install_error_handlers(app)
    app.add_exception_handler(IntegrityError, _busy)  # type: ignore[arg-type]
    app.add_exception_handler(CodeSpaceExhausted, _busy)  # type: ignore[arg-type]
    install_error_pages(app, error_page)  # a citizen's browser gets the portal's pages
    # Inside the request logging: a refused body is logged with its request id too.
    limits = get_settings().attachments
    app.add_middleware(BodyLimit, max_file_bytes=limits.max_bytes)
    install_request_logging(app, "intake-api")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(readiness_router(get_db))
    app.include_router(complaints.router)
    app.include_router(services.router)
    app.include_router(access_link.router)
    app.include_router(attachments.router)
    app.include_router(feedback.router)
    app.include_router(personal_data.router)
    app.include_router(privacy.router)
    app.include_router(app_channel.router)
    app.include_router(open311.router)  # partner systems: Open311 GeoReport v2
    app.include_router(metrics_router(registry_for(get_db)))
    # The citizens' portal: server-rendered pages over the same functions as the API's routes.
    # The filing form carries up to max_files files of max_bytes, beside its text.
    install_pages(
        app, error_page, max_multipart_bytes=limits.max_files * limits.max_bytes + MAX_FORM_BYTES
    )
    app.include_router(filing_pages.router)
    app.include_router(recovery_pages.router)  # before /lacak/{kode}, which would take its paths
    app.include_router(tracking_pages.router)
    app.include_router(feedback_pages.router)
    app.include_router(privacy_pages.router)
    app.include_router(favicon_router())
    app.include_router(manifest_router(f"Pengaduan {OFFICE}", "Pengaduan"))
    return app
