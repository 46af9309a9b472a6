"""The intake bench's baseline: a bare FastAPI app that validates a complaint with the intake
API's own model and does nothing else, the ceiling of the HTTP layer on this machine."""

from __future__ import annotations

from fastapi import FastAPI

from shared.messaging.contracts.filing import ComplaintIn


def create_app() -> FastAPI:
    app = FastAPI()

    @app.post("/api/v1/complaints", status_code=202)
    def file(complaint: ComplaintIn) -> dict[str, str]:
        return {"subject": complaint.subject}

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
