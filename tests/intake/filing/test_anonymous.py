"""Anonymous (*anonim*) and confidential (*rahasia*) filing over the API: what is stored and
sent on, the receipt's word that code and token are the only way back, and each mistake a clear
422 in Bahasa Indonesia that writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.intake.database import get_db
from services.intake.filing.complaints import file_taken
from services.intake.models import Complaint
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    INTAKE_TAKEN_TASK,
    NOTIFY_TASK,
    Channel,
    ComplaintTakenV1,
    ReceivedVia,
)
from shared.messaging.contracts.codes import hash_access_token, new_access_token
from shared.sop import FIRST_STEP
from tests.intake.conftest import NOTHING, complaint_body, row_counts, track
from tests.support.outbox import queued_payloads


def anonymous_body(**overrides: Any) -> dict[str, Any]:
    """An anonymous complaint as the API documents it: no ``reporter`` at all."""
    body = {k: v for k, v in complaint_body().items() if k != "reporter"}
    return {**body, "identity": "anonymous", "channels": ["app"], **overrides}


def stored() -> Complaint:
    with get_db().sessions() as session:
        [complaint] = session.scalars(select(Complaint)).all()
        return complaint


def test_an_anonymous_complaint_is_filed_without_name_or_contact(client: TestClient) -> None:
    response = client.post("/api/v1/complaints", json=anonymous_body())

    assert response.status_code == 202, response.text
    filed = response.json()
    assert filed["identity"] == "anonymous"
    assert "SATU-SATUNYA" in filed["access_warning"]
    assert "tidak dapat mengirimkannya kembali atau memulihkan akses" in filed["access_warning"]
    assert filed["access_warning"] in filed["message"]
    complaint = stored()
    assert complaint.identity == "anonymous"
    assert (complaint.reporter_name, complaint.reporter_email, complaint.reporter_phone) == (
        None,
        None,
        None,
    )
    [handed] = queued_payloads(get_db(), FIRST_STEP.arrive_task)
    assert (handed["identity"], handed["reporter"]) == ("anonymous", None)
    [acknowledged] = queued_payloads(get_db(), NOTIFY_TASK)
    assert (acknowledged["kind"], acknowledged["recipient"]) == ("filed", None)
    assert acknowledged["channels"] == ["app"]
    # The code and token are the way back: they open it like any other complaint.
    assert track(client, filed["tracking_code"], filed["access_token"])["status"] == "submitted"


def test_reporter_null_is_the_same_as_leaving_it_out(client: TestClient) -> None:
    response = client.post("/api/v1/complaints", json=anonymous_body(reporter=None))
    assert response.status_code == 202, response.text
    assert stored().reporter_name is None


def test_a_confidential_complaint_keeps_its_reporter_and_says_so(client: TestClient) -> None:
    response = client.post("/api/v1/complaints", json=complaint_body(identity="confidential"))

    assert response.status_code == 202, response.text
    filed = response.json()
    assert (filed["identity"], filed["access_warning"]) == ("confidential", None)
    complaint = stored()
    assert (complaint.identity, complaint.reporter_name) == ("confidential", "Budi Santoso")
    [handed] = queued_payloads(get_db(), FIRST_STEP.arrive_task)
    assert handed["identity"] == "confidential"
    assert handed["reporter"]["email"] == "budi.santoso@example.id"


def test_a_complaint_without_identity_is_shown_as_before(client: TestClient) -> None:
    response = client.post("/api/v1/complaints", json=complaint_body())
    assert response.status_code == 202, response.text
    assert (response.json()["identity"], response.json()["access_warning"]) == ("shown", None)
    assert stored().identity == "shown"


ANONYMOUS_REPORTER = "laporan anonim tidak boleh menyertakan nama, email atau nomor telepon"
BAD_BODIES: dict[str, tuple[dict[str, Any], str, str]] = {
    # case: (body, field, words the citizen reads)
    "anonymous_with_reporter": (
        anonymous_body(reporter={"name": "Budi Santoso"}),
        "reporter",
        ANONYMOUS_REPORTER,
    ),
    "anonymous_with_email_only": (
        anonymous_body(reporter={"email": "budi@example.id"}),
        "reporter",
        ANONYMOUS_REPORTER,
    ),
    "anonymous_with_empty_reporter": (anonymous_body(reporter={}), "reporter", ANONYMOUS_REPORTER),
    "anonymous_with_top_level_name": (
        anonymous_body(name="Budi Santoso"),
        "name",
        "tidak dikenal",
    ),
    "anonymous_by_email": (
        anonymous_body(channels=["email", "app"]),
        "channels",
        "laporan anonim hanya dapat menerima kabar dan jawaban melalui aplikasi",
    ),
    "anonymous_by_sms": (
        anonymous_body(channels=["sms"]),
        "channels",
        "saluran sms tidak dapat dipakai",
    ),
    "unknown_identity": (
        complaint_body(identity="rahasia"),
        "identity",
        "identitas 'rahasia' tidak dikenal (pilihan: shown, confidential, anonymous)",
    ),
    "identity_not_text": (complaint_body(identity=3), "identity", "tidak dikenal"),
    "shown_without_reporter": (
        anonymous_body(identity="shown"),
        "reporter",
        "wajib diisi",
    ),
    "confidential_without_reporter": (
        anonymous_body(identity="confidential"),
        "reporter",
        "wajib diisi",
    ),
}


@pytest.mark.parametrize("case", BAD_BODIES, ids=list(BAD_BODIES))
def test_a_mistaken_identity_is_422_in_indonesian_and_writes_nothing(
    client: TestClient, case: str
) -> None:
    body, field, words = BAD_BODIES[case]

    response = client.post("/api/v1/complaints", json=body)

    assert response.status_code == 422, response.text
    error = response.json()
    assert error["code"] == "invalid_input"
    assert any(e["field"] == field and words in e["message"] for e in error["errors"]), error
    assert row_counts() == NOTHING


def test_the_docs_explain_each_identity_in_indonesian(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["ComplaintIn"]
    said = schema["properties"]["identity"]["description"]
    for words in ("`shown`", "`confidential` (*rahasia*)", "`anonymous` (*anonim*)"):
        assert words in said
    assert "satu-satunya jalan kembali" in said
    assert "reporter" not in schema.get("required", [])


def test_an_anonymous_complaint_taken_by_the_desk_is_filed_without_reporter(
    client: TestClient,
) -> None:
    token = new_access_token()
    msg = ComplaintTakenV1(
        tracking_code="PGD-7KQ2-M9XD",
        access_token_hash=hash_access_token(token),
        subject="Izin usaha belum terbit",
        description="Penelepon tidak mau menyebutkan nama; izin usahanya belum terbit.",
        reporter=None,
        identity="anonymous",
        channels=(Channel.APP,),
        received_via=ReceivedVia.TELEPON,
        taken_by="sri",
    )

    assert consume_once(get_db(), INTAKE_TAKEN_TASK, msg, file_taken) == "applied"

    assert track(client, "PGD-7KQ2-M9XD", token)["status"] == "submitted"
    complaint = stored()
    assert (complaint.identity, complaint.reporter_name) == ("anonymous", None)
    [handed] = queued_payloads(get_db(), FIRST_STEP.arrive_task)
    assert (handed["identity"], handed["reporter"], handed["taken_by"]) == (
        "anonymous",
        None,
        "sri",
    )
    [acknowledged] = queued_payloads(get_db(), NOTIFY_TASK)
    assert (acknowledged["recipient"], acknowledged["channels"]) == (None, ["app"])
