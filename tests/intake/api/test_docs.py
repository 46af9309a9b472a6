"""What clients and operators rely on beyond the two routes: health, OpenAPI, a rare race."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shared.messaging.contracts import codes as drawing
from tests.intake.conftest import complaint_body, file, row_counts


def test_healthz_answers_ok(client: TestClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_openapi_documents_both_routes_and_their_errors_in_indonesian(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()

    assert "Layanan Masyarakat" in spec["info"]["title"]
    filing = spec["paths"]["/api/v1/complaints"]["post"]
    tracking = spec["paths"]["/api/v1/complaints/{tracking_code}"]["get"]
    assert filing["summary"] == "Ajukan laporan pengaduan"
    assert {"202", "400", "422", "503"} <= set(filing["responses"])
    assert {"200", "401", "404"} <= set(tracking["responses"])
    assert tracking["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }
    assert any(p["name"] == "X-Access-Token" for p in tracking["parameters"])
    assert "/healthz" not in spec["paths"]


def test_a_code_space_that_seems_full_ends_in_a_503_to_retry(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = file(client)
    monkeypatch.setattr(drawing, "new_tracking_code", lambda: first["tracking_code"])

    response = client.post("/api/v1/complaints", json=complaint_body())

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.json()["message"] == "Layanan sedang sibuk, coba lagi sebentar"
    assert row_counts() == {
        "complaints": 1,
        "timeline_entries": 1,
        "outbox": 2,
        "attachments": 0,
        "ratings": 0,
        "surveys": 0,
    }
