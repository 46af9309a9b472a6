"""The staff API: log in, see the role's worklist, complete SOP steps, read a case's record."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Path, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.orm import Session

from services.workflow.api import cases as case_views
from services.workflow.api import deliveries as delivery_views
from services.workflow.api import paths as path_views
from services.workflow.api import reports as report_views
from services.workflow.api.dependencies import CurrentUser, SessionDep, SettingsDep
from services.workflow.api.schemas import (
    CaseOut,
    CompletionOut,
    EventOut,
    StaffOut,
    TokenOut,
    status_label,
)
from services.workflow.cases import search, steps
from services.workflow.cases.history import events_of
from services.workflow.cases.work_items import WorkItem, work_items
from services.workflow.console import app as console
from services.workflow.database import get_db
from services.workflow.metrics import registry_for
from services.workflow.models import Case
from services.workflow.sla import clock
from services.workflow.staff.accounts import demo_user_check
from services.workflow.staff.auth import issue_token
from services.workflow.staff.login import log_in
from shared.process.service_wiring import relay_lifespan
from shared.runtime.log_setup import install_request_logging
from shared.runtime.metrics_server import metrics_router
from shared.runtime.production_checks import require_production_ready
from shared.sop import ROLE_LABELS, STEP_BY_NUMBER, STEPS, Role
from shared.web.api_errors import error_responses, install_error_handlers
from shared.web.health import readiness_router
from shared.web.pages import install_pages


def _case_out(session: Session, case: Case) -> CaseOut:
    current = STEP_BY_NUMBER.get(case.current_step) if case.current_step else None
    return CaseOut(
        case_id=case.id,
        tracking_code=case.tracking_code,
        status=case.status,
        status_label=status_label(case.status),
        subject=case.subject,
        description=case.description,
        reporter_name=case.reporter_name,
        licence_reference=case.licence_reference,
        channels=case.channels,
        current_step=case.current_step,
        current_role=current.role.value if current else None,
        arrived_at=case.step_arrived_at,
        due_at=case.due_at,
        answer=case.answer,
        filed_at=case.filed_at,
        closed_at=case.closed_at,
        held_by=case.held_by,
        held_at=case.held_at,
        duplicate_of=search.tracking_code_of(session, case.duplicate_of),
        duplicates=search.duplicates_of(session, case.id),
        history=[EventOut.model_validate(e) for e in events_of(session, case.id)],
    )


STEP_BODY_EXAMPLES: dict[str, Any] = {
    f"step{step.number}": {
        "summary": f"Langkah {step.number} ({step.role.value})",
        "value": {f.name: f.label for f in step.inputs},
    }
    for step in STEPS
}


def create_app() -> FastAPI:
    require_production_ready(
        "workflow-api", services=("workflow",), extra_checks=[demo_user_check(get_db)]
    )
    app = FastAPI(
        title="Pengaduan — API Petugas",
        description="Layanan alur kerja SOP penanganan pengaduan DPMPTSP Kota Madiun.",
        version="1.0.0",
        lifespan=relay_lifespan(get_db, "workflow-api"),
    )
    install_error_handlers(app)
    install_request_logging(app, "workflow-api")
    install_pages(app)
    console.install(app)
    app.include_router(case_views.router)
    app.include_router(path_views.router)
    app.include_router(delivery_views.router)
    app.include_router(report_views.router)
    app.include_router(metrics_router(registry_for(get_db)))

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(readiness_router(get_db))

    @app.post("/api/v1/auth/token", responses=error_responses(401, 422, 429))
    def login(
        form: Annotated[OAuth2PasswordRequestForm, Depends()],
        request: Request,
        session: SessionDep,
        settings: SettingsDep,
    ) -> TokenOut:
        client = request.client.host if request.client else "unknown"
        user = log_in(
            session, settings, username=form.username, password=form.password, client=client
        )
        token, ttl = issue_token(user, settings)
        return TokenOut(access_token=token, expires_in=ttl, role=user.role)

    @app.get("/api/v1/me", responses=error_responses(401))
    def me(user: CurrentUser) -> StaffOut:
        return StaffOut(username=user.username, full_name=user.full_name, role=user.role)

    @app.get("/api/v1/worklist", responses=error_responses(401))
    def worklist(user: CurrentUser, session: SessionDep) -> list[WorkItem]:
        return work_items(session, Role(user.role), clock.now())

    @app.post(
        "/api/v1/cases/{case_id}/steps/{step}",
        status_code=status.HTTP_202_ACCEPTED,
        responses=error_responses(401, 403, 404, 409, 422),
    )
    def complete(
        case_id: Annotated[str, Path(max_length=64)],
        step: Annotated[int, Path(ge=-(2**31), le=2**31)],
        user: CurrentUser,
        session: SessionDep,
        payload: Annotated[dict[str, Any], Body(openapi_examples=STEP_BODY_EXAMPLES)],
    ) -> CompletionOut:
        done = steps.complete_step(
            session, case_id=case_id, step_number=step, user=user, payload=payload
        )
        nxt = done.next_step
        message = (
            f"Langkah {step} selesai; laporan pengaduan diteruskan ke {ROLE_LABELS[nxt.role]}"
            if nxt
            else "Langkah terakhir selesai; jawaban diteruskan kepada pengadu"
        )
        return CompletionOut(
            case_id=done.case.id,
            tracking_code=done.case.tracking_code,
            step=step,
            completed_at=done.completed_at,
            next_step=nxt.number if nxt else None,
            next_role=nxt.role.value if nxt else None,
            message=message,
        )

    @app.get("/api/v1/cases/{case_id}", responses=error_responses(401, 404))
    def read_case(
        case_id: Annotated[str, Path(max_length=64)], _user: CurrentUser, session: SessionDep
    ) -> CaseOut:
        return _case_out(session, search.get_case(session, case_id))

    return app
