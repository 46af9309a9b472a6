"""The citizens' API: file a laporan pengaduan, then follow it with the tracking code and token.

Run with ``uvicorn --factory services.intake.api.app:create_app``.
"""

from __future__ import annotations

import logging

from fastapi import Depends, FastAPI, Request, Response, status
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from services.intake.api import app_channel as app_channel_api
from services.intake.api.body_limit import TOO_LARGE_RESPONSE, BodyLimit
from services.intake.api.client_limits import limit_filing, limit_tracking
from services.intake.api.dependencies import (
    MISSING_HEADER_MESSAGE,
    NO_STORE,
    AccessToken,
    SessionDep,
)
from services.intake.database import get_db
from services.intake.filing import complaints, idempotency
from services.intake.filing.idempotency import IdempotencyKey
from services.intake.filing.schemas import ComplaintIn, ComplaintOut, FiledOut, ReplyIn, ReplyOut
from services.intake.metrics import registry_for
from services.intake.portal import filing_pages as pages
from services.intake.portal import tracking_pages
from services.intake.tracking.codes import CodeSpaceExhausted
from shared.process.service_wiring import relay_lifespan
from shared.runtime.log_setup import install_request_logging
from shared.runtime.metrics_server import metrics_router
from shared.runtime.production_checks import require_production_ready
from shared.sop import (
    reply_reader_label,
    standard_minutes_each,
    step_count_words,
    total_standard_minutes,
    uniform_standard_minutes,
)
from shared.web.api_errors import Unauthorized, error_responses, install_error_handlers
from shared.web.health import readiness_router
from shared.web.pages import install_pages

log = logging.getLogger(__name__)


def description() -> str:
    """The API's description; the SOP's figures are read when the app is made."""
    return f"""
Layanan pengaduan online **DPMPTSP Kota Madiun** untuk masyarakat dan pelaku usaha tentang
pelayanan perizinan berusaha dan non berusaha.

1. Ajukan laporan pengaduan dengan `POST /api/v1/complaints`. Anda menerima **kode pelacakan**
   dan **token akses**. Token akses hanya ditampilkan sekali: simpan baik-baik.
2. Ikuti perkembangannya dengan `GET /api/v1/complaints/{{kode_pelacakan}}` dan header
   `X-Access-Token`. Jawaban pengaduan tampil di sana setelah dikirim kepada Anda.
3. Bila memilih saluran `app`: baca kotak masuk di `GET .../messages`, pantau secara langsung
   di `GET .../events` (Server-Sent Events), atau aktifkan notifikasi push peramban dengan
   kunci dari `GET /api/v1/push/public-key` dan `POST .../push-subscriptions`.

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
    app = FastAPI(
        title="Pengaduan DPMPTSP Kota Madiun — Layanan Masyarakat",
        description=description(),
        version="1.0.0",
        lifespan=relay_lifespan(get_db, "intake"),
    )
    install_error_handlers(app)
    # Inside the request logging: a refused body is logged with its request id too.
    app.add_middleware(BodyLimit)
    install_request_logging(app, "intake-api")
    app.add_exception_handler(IntegrityError, _busy)  # type: ignore[arg-type]
    app.add_exception_handler(CodeSpaceExhausted, _busy)  # type: ignore[arg-type]

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(readiness_router(get_db))

    @app.post(
        "/api/v1/complaints",
        status_code=status.HTTP_202_ACCEPTED,
        summary="Ajukan laporan pengaduan",
        responses={**error_responses(400, 409, 422, 429, 503), **TOO_LARGE_RESPONSE},
        dependencies=[Depends(limit_filing)],
    )
    def file_complaint(
        body: ComplaintIn, session: SessionDep, response: Response, key: IdempotencyKey
    ) -> FiledOut:
        answer = idempotency.file_once(session, body, key)
        response.headers.update(NO_STORE)
        response.headers["Location"] = f"/api/v1/complaints/{answer.tracking_code}"
        return answer

    @app.get(
        "/api/v1/complaints/{tracking_code}",
        summary="Lihat perkembangan laporan pengaduan",
        responses=error_responses(401, 404, 429, 503),
        dependencies=[Depends(limit_tracking)],
    )
    def track_complaint(
        tracking_code: str,
        session: SessionDep,
        response: Response,
        x_access_token: AccessToken = None,
    ) -> ComplaintOut:
        if not x_access_token:
            raise Unauthorized(MISSING_HEADER_MESSAGE)
        complaint = complaints.find_for_citizen(session, tracking_code, x_access_token)
        response.headers.update(NO_STORE)
        return ComplaintOut.of(complaint, complaints.timeline(session, complaint))

    @app.post(
        "/api/v1/complaints/{tracking_code}/replies",
        status_code=status.HTTP_202_ACCEPTED,
        summary="Kirim kelengkapan data yang diminta petugas",
        responses={**error_responses(400, 401, 404, 409, 422, 429, 503), **TOO_LARGE_RESPONSE},
        dependencies=[Depends(limit_tracking)],
    )
    def reply(
        tracking_code: str,
        body: ReplyIn,
        session: SessionDep,
        response: Response,
        x_access_token: AccessToken = None,
    ) -> ReplyOut:
        if not x_access_token:
            raise Unauthorized(MISSING_HEADER_MESSAGE)
        complaint = complaints.find_for_citizen(session, tracking_code, x_access_token)
        complaints.submit_reply(session, complaint, body.message)
        response.headers.update(NO_STORE)
        return ReplyOut(
            tracking_code=complaint.tracking_code,
            status=complaint.status,
            message="Kelengkapan data Anda telah dikirim dan akan ditelaah kembali oleh "
            + reply_reader_label(),
        )

    app.include_router(app_channel_api.router)
    app.include_router(metrics_router(registry_for(get_db)))
    # The citizens' portal: server-rendered pages over the same functions as the API above.
    install_pages(app)
    app.include_router(pages.router)
    app.include_router(tracking_pages.router)
    return app
