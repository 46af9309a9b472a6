"""The staff API's app: the routers of ``services.workflow.api``, the console, and the ground
every request stands on (error handlers, request logging, health, metrics, the outbox relay).

Run with ``uvicorn --factory services.workflow.api.app:create_app``.
"""

from __future__ import annotations

from fastapi import FastAPI

from services.workflow.api import (
    attachments,
    auth,
    cases,
    deliveries,
    identity_reads,
    monthly_report,
    paths,
    reports,
    services,
    steps,
    worklist,
)
from services.workflow.console import app as console
from services.workflow.console.error_pages import error_page
from services.workflow.database import get_db
from services.workflow.metrics import registry_for
from services.workflow.staff.accounts import demo_user_check
from shared.process.service_wiring import relay_lifespan
from shared.runtime.production_checks import require_production_ready
from shared.runtime.request_logging import install_request_logging
from shared.web.api_docs import api_app
from shared.web.api_errors import install_error_handlers
from shared.web.error_pages import install_error_pages
from shared.web.health import readiness_router
from shared.web.icons import favicon_router
from shared.web.metrics import metrics_router
from shared.web.pages import install_pages


def create_app() -> FastAPI:
    require_production_ready(
        "workflow-api", services=("workflow",), extra_checks=[demo_user_check(get_db)]
    )
    app = api_app(
        title="Pengaduan — API Petugas",
        description="Layanan alur kerja SOP penanganan pengaduan DPMPTSP Kota Madiun.",
        version="1.0.0",
        lifespan=relay_lifespan(get_db, "workflow-api"),
    )
    install_error_handlers(app)
    # A browser's page outside /console; the console's own routes' errors are its pages.
    install_error_pages(app, error_page)
    install_request_logging(app, "workflow-api")
    install_pages(app, error_page)
    console.install(app)
    for module in (
        auth,
        worklist,
        cases,
        identity_reads,
        attachments,
        steps,
        paths,
        deliveries,
        reports,
        monthly_report,
        services,
    ):
        app.include_router(module.router)
    app.include_router(metrics_router(registry_for(get_db)))
    app.include_router(favicon_router())

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(readiness_router(get_db))
    return app
