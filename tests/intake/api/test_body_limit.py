"""Request bodies on the citizens' API over 64 kB are refused with 413, before being read
whole, and change nothing; the largest valid complaint still fits."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi.testclient import TestClient

from services.intake.api.app import create_app
from services.intake.api.body_limit import MAX_BODY_BYTES
from tests.intake.conftest import complaint_body, row_counts


def assert_too_large(response: Any) -> None:
    assert response.status_code == 413, response.text
    assert response.json()["code"] == "payload_too_large"
    assert "terlalu besar" in response.json()["message"]


def test_a_body_over_the_limit_is_413_and_files_nothing(client: TestClient) -> None:
    padded = complaint_body(description="x" * MAX_BODY_BYTES)

    assert_too_large(client.post("/api/v1/complaints", json=padded))
    assert row_counts()["complaints"] == 0


def test_the_largest_valid_complaint_fits(client: TestClient) -> None:
    # Every character of the longest fields escaped: six bytes each in JSON.
    body = complaint_body(subject="é" * 200, description="é" * 5000)
    raw = json.dumps(body, ensure_ascii=True).encode()
    assert len(raw) < MAX_BODY_BYTES

    response = client.post(
        "/api/v1/complaints", content=raw, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 202, response.text


def _post_raw(headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """POST to the filing route at the ASGI level, with a body of endless 16 kB chunks: the
    answer's status, and how many chunks the service read."""
    app = create_app()
    chunks_read: list[int] = []
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        chunks_read.append(1)
        return {"type": "http.request", "body": b" " * 16384, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/complaints",
        "raw_path": b"/api/v1/complaints",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json"), *headers],
        "client": ("testclient", 50000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return statuses[0], len(chunks_read)


def test_a_chunked_body_is_cut_off_once_past_the_limit(configured: dict[str, str]) -> None:
    status, chunks_read = _post_raw([(b"transfer-encoding", b"chunked")])

    assert status == 413
    assert chunks_read == MAX_BODY_BYTES // 16384 + 1
    assert row_counts()["complaints"] == 0


def test_a_declared_length_over_the_limit_is_refused_unread(configured: dict[str, str]) -> None:
    status, chunks_read = _post_raw([(b"content-length", str(MAX_BODY_BYTES + 1).encode())])

    assert status == 413
    assert chunks_read == 0


def test_the_document_declares_413_on_the_routes_that_take_a_body(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, method in (
        ("/api/v1/complaints", "post"),
        ("/api/v1/complaints/{tracking_code}/replies", "post"),
        ("/api/v1/complaints/{tracking_code}/push-subscriptions", "post"),
    ):
        assert "413" in paths[path][method]["responses"], path
