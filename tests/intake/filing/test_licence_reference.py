"""The licence reference (NIB or application number) a complainant may name: optional, trimmed,
checked in Indonesian, stored, shown back to them and handed to the workflow with the filing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shared.messaging.contracts import ComplaintFiledV1
from shared.sop import FIRST_STEP
from tests.intake.conftest import complaint_body, file, outbox_rows, row_counts, track


def test_the_reference_travels_to_the_workflow_and_back_to_the_complainant(
    client: TestClient,
) -> None:
    filed = file(client, licence_reference="  503/0123/IUMK-2026.A  ")

    arrive = next(row for row in outbox_rows() if row.task_name == FIRST_STEP.arrive_task)
    handed = ComplaintFiledV1.model_validate(arrive.payload)
    assert handed.licence_reference == "503/0123/IUMK-2026.A"
    tracked = track(client, filed["tracking_code"], filed["access_token"])
    assert tracked["licence_reference"] == "503/0123/IUMK-2026.A"


@pytest.mark.parametrize("given", [None, "", "   "])
def test_no_reference_is_none(client: TestClient, given: str | None) -> None:
    overrides = {} if given is None else {"licence_reference": given}
    file(client, **overrides)
    arrive = next(row for row in outbox_rows() if row.task_name == FIRST_STEP.arrive_task)
    assert ComplaintFiledV1.model_validate(arrive.payload).licence_reference is None


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("NIB: 1234567890123", "hanya boleh berisi huruf, angka, spasi"),
        ("1234<script>", "hanya boleh berisi huruf, angka, spasi"),
        ("\u0405\u0406\u0411-01", "hanya boleh berisi huruf, angka, spasi"),  # Cyrillic look-alikes
        ("9" * 65, "terlalu panjang (maksimal 64 karakter)"),
    ],
)
def test_a_bad_reference_is_refused_in_indonesian_and_changes_nothing(
    client: TestClient, given: str, message: str
) -> None:
    before = row_counts()
    response = client.post("/api/v1/complaints", json=complaint_body(licence_reference=given))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "licence_reference"
    assert message in error["message"]
    assert row_counts() == before


def test_the_reference_is_documented(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["ComplaintIn"]
    documented = schema["properties"]["licence_reference"]
    assert "NIB" in documented["description"]
    assert "licence_reference" not in schema.get("required", [])


def test_a_filing_message_from_before_the_reference_still_validates() -> None:
    old = {
        "tracking_code": "PGD-TEST-0001",
        "subject": "Izin usaha belum terbit",
        "description": "Sudah tiga minggu belum ada kabar.",
        "reporter": {"name": "Budi"},
        "channels": ["app"],
        "version": 1,
    }
    assert ComplaintFiledV1.model_validate(old).licence_reference is None
