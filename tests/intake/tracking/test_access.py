"""Following a laporan pengaduan: only with its access token; a code alone reveals nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from services.intake.database import get_db
from services.intake.filing.complaints import apply_answer, apply_status_change
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    INTAKE_ANSWERED_TASK,
    INTAKE_STATUS_TASK,
    CaseStatusChangedV1,
    ComplaintAnsweredV1,
)
from shared.sop import STATUS_LABELS
from tests.intake.conftest import file, track

ANSWER = "Izin usaha Anda telah terbit dan dapat diunduh melalui OSS dengan NIB Anda."


def test_the_complainant_sees_the_status_with_the_token(client: TestClient) -> None:
    filed = file(client)

    response = client.get(
        f"/api/v1/complaints/{filed['tracking_code']}",
        headers={"X-Access-Token": filed["access_token"]},
    )

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json()
    assert body["tracking_code"] == filed["tracking_code"]
    assert body["status"] == "submitted"
    assert body["status_label"] == STATUS_LABELS["submitted"]
    assert [(e["status"], e["label"]) for e in body["timeline"]] == [
        ("submitted", STATUS_LABELS["submitted"])
    ]
    assert datetime.fromisoformat(body["timeline"][0]["occurred_at"]).tzinfo is not None
    assert (body["answer"], body["answered_at"]) == (None, None)


def test_a_code_typed_in_lower_case_still_finds_the_complaint(client: TestClient) -> None:
    filed = file(client)
    body = track(client, filed["tracking_code"].lower(), filed["access_token"])
    assert body["tracking_code"] == filed["tracking_code"]


def test_a_wrong_token_and_an_unknown_code_get_the_same_404(client: TestClient) -> None:
    filed = file(client)
    other = file(client)

    wrong_token = client.get(
        f"/api/v1/complaints/{filed['tracking_code']}", headers={"X-Access-Token": "tebakan"}
    )
    others_token = client.get(
        f"/api/v1/complaints/{filed['tracking_code']}",
        headers={"X-Access-Token": other["access_token"]},
    )
    unknown_code = client.get(
        "/api/v1/complaints/PGD-0000-0000", headers={"X-Access-Token": filed["access_token"]}
    )

    assert wrong_token.status_code == others_token.status_code == unknown_code.status_code == 404
    assert wrong_token.json() == others_token.json() == unknown_code.json()
    assert wrong_token.json()["message"] == (
        "Laporan pengaduan dengan kode pelacakan dan token akses tersebut tidak ditemukan"
    )
    assert filed["tracking_code"] not in wrong_token.text


def test_without_the_token_header_the_answer_is_401_saying_what_is_missing(
    client: TestClient,
) -> None:
    filed = file(client)
    for headers in ({}, {"X-Access-Token": ""}):
        response = client.get(f"/api/v1/complaints/{filed['tracking_code']}", headers=headers)
        assert response.status_code == 401
        assert "X-Access-Token" in response.json()["message"]
        assert "Token akses wajib disertakan" in response.json()["message"]


def test_odd_codes_and_tokens_are_404_not_500(client: TestClient) -> None:
    filed = file(client)
    for code in ("x" * 5000, "PGD-%00-0000", "PGD-ÄÖÜ1-0000", "..%2F..%2Fetc"):
        response = client.get(f"/api/v1/complaints/{code}", headers={"X-Access-Token": "t"})
        assert response.status_code == 404, (code, response.text)
    response = client.get(
        f"/api/v1/complaints/{filed['tracking_code']}",
        headers={"X-Access-Token": "é".encode() * 4000},  # type: ignore[dict-item]
    )
    assert response.status_code == 404


def test_the_timeline_shows_every_step_in_indonesian_and_then_the_answer(
    client: TestClient,
) -> None:
    filed = file(client)
    code = filed["tracking_code"]
    statuses = ["received", "verifying", "disposition", "follow_up", "answer_ready"]
    for sequence, status in enumerate(statuses, start=2):
        msg = CaseStatusChangedV1(tracking_code=code, status=status, sequence=sequence)
        consume_once(get_db(), INTAKE_STATUS_TASK, msg, apply_status_change)
    answered_at = datetime.now(UTC)
    answered = ComplaintAnsweredV1(tracking_code=code, answer=ANSWER, answered_at=answered_at)
    consume_once(get_db(), INTAKE_ANSWERED_TASK, answered, apply_answer)

    body = track(client, code, filed["access_token"])

    assert body["status"] == "answered"
    assert body["status_label"] == "Jawaban pengaduan telah dikirim kepada Anda"
    assert body["answer"] == ANSWER
    assert datetime.fromisoformat(body["answered_at"]) == answered_at
    assert [e["status"] for e in body["timeline"]] == ["submitted", *statuses, "answered"]
    assert [e["label"] for e in body["timeline"]] == [
        STATUS_LABELS[e["status"]] for e in body["timeline"]
    ]


def test_a_status_this_version_does_not_know_reads_as_in_progress(client: TestClient) -> None:
    filed = file(client)
    msg = CaseStatusChangedV1(tracking_code=filed["tracking_code"], status="escalated", sequence=9)
    consume_once(get_db(), INTAKE_STATUS_TASK, msg, apply_status_change)

    body = track(client, filed["tracking_code"], filed["access_token"])

    assert body["status"] == "escalated"
    assert body["status_label"] == "Laporan pengaduan Anda sedang diproses"
