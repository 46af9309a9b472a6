"""Both OpenAPI documents say every error an operation can answer, in the shape it is sent."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.intake.api import open311
from services.intake.api.app import create_app as intake_app
from services.workflow.api.app import create_app as workflow_app

ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}
OPEN311_ERRORS = {"400", "403", "404", "429"}


def _operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    ]


@pytest.fixture(params=["intake", "workflow"])
def spec(request: pytest.FixtureRequest) -> dict[str, Any]:
    return (intake_app if request.param == "intake" else workflow_app)().openapi()


def test_every_error_answer_is_documented_as_error_body(spec: dict[str, Any]) -> None:
    for name, operation in _operations(spec):
        responses = operation["responses"]
        assert "503" in responses, name
        if "application/json" in operation.get("requestBody", {}).get("content", {}):
            assert "400" in responses, name
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                schema = response["content"]["application/json"]["schema"]
                # Open311's own errors are the GeoReport v2 spec's list (docs/OPEN311.md).
                spec_error = " /open311/" in name and status in OPEN311_ERRORS
                assert schema == (open311.ERRORS if spec_error else ERROR_BODY), (name, status)
    # FastAPI's own validation body is never what our handler sends.
    assert "HTTPValidationError" not in json.dumps(spec)


def fastapi_summary(path: str, method: str, operation: dict[str, Any]) -> str:
    """The summary FastAPI writes when a route gives none: its function's name, title-cased. The
    name is read back from the operation id FastAPI builds (the name, the path, the method)."""
    suffix = re.sub(r"\W", "_", path) + f"_{method}"
    assert operation["operationId"].endswith(suffix), (path, method, operation["operationId"])
    return str(operation["operationId"]).removesuffix(suffix).replace("_", " ").title()


def test_every_operation_has_its_own_summary_and_a_description(spec: dict[str, Any]) -> None:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            name = f"{method.upper()} {path}"
            summary = operation.get("summary", "")
            assert summary, f"{name}: give the route an Indonesian summary="
            assert summary != fastapi_summary(path, method, operation), (
                f"{name}: the summary is FastAPI's default from the function name ({summary!r}); "
                "give the route an Indonesian summary="
            )
            assert operation.get("description", "").strip(), (
                f"{name}: describe the route in Indonesian (its docstring or description=)"
            )


def test_waiting_answers_document_retry_after(spec: dict[str, Any]) -> None:
    for name, operation in _operations(spec):
        for status in ("429", "503"):
            if status in operation["responses"]:
                assert "Retry-After" in operation["responses"][status]["headers"], name


def test_staff_routes_document_401_and_login_documents_its_lockout() -> None:
    spec = workflow_app().openapi()
    for name, operation in _operations(spec):
        if name != "POST /api/v1/auth/token":
            assert "401" in operation["responses"], name
    assert "429" in spec["paths"]["/api/v1/auth/token"]["post"]["responses"]


def test_a_missing_bearer_token_is_explained_in_indonesian(configured: dict[str, str]) -> None:
    with TestClient(workflow_app()) as client:
        response = client.get("/api/v1/worklist")
    assert response.status_code == 401
    assert response.json()["message"] == "Perlu masuk terlebih dahulu"
