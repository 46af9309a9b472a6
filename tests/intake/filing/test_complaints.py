"""Filing a laporan pengaduan over HTTP: the answer, what is stored, and what leaves for the
workflow and the notifier (through the outbox, onto the real Redis queues)."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.intake.database import get_db
from services.intake.models import Complaint, TimelineEntry
from services.intake.tracking.codes import CODE_PATTERN
from services.notifier.channels.sms import sms_text
from services.notifier.messages import compose
from shared.messaging.contracts import (
    NOTIFY_TASK,
    ComplaintFiledV1,
    NotificationKind,
    NotificationRequestedV1,
)
from shared.messaging.contracts import codes as drawing
from shared.sop import FIRST_STEP
from tests.intake.conftest import CITIZEN_EMAIL, NOTHING, file, outbox_rows, queued, row_counts
from tools.harness.processes import wait_for


def _body_of(task_message: dict[str, Any]) -> dict[str, Any]:
    args, kwargs, _embed = json.loads(base64.b64decode(task_message["body"]))
    assert args == []
    return kwargs["message"]


def test_filing_answers_202_with_a_tracking_code_and_a_token(client: TestClient) -> None:
    response = client.post(
        "/api/v1/complaints",
        json={
            "reporter": {"name": "Budi Santoso", "email": CITIZEN_EMAIL, "phone": "081234567890"},
            "subject": "Izin usaha belum terbit",
            "description": "Permohonan izin usaha kami sudah tiga minggu belum ada kabar.",
            "channels": ["email", "sms", "app"],
        },
    )

    assert response.status_code == 202
    body = response.json()
    assert CODE_PATTERN.match(body["tracking_code"]), body["tracking_code"]
    assert len(body["access_token"]) >= 43
    assert body["status"] == "submitted"
    assert "token akses hanya ditampilkan sekali" in body["message"]
    assert "telah diterima" in body["message"]
    assert "teregister" not in body["message"] and "diteruskan" not in body["message"]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Location"] == f"/api/v1/complaints/{body['tracking_code']}"


def test_two_filings_get_different_codes_and_tokens(client: TestClient) -> None:
    first, second = file(client), file(client)
    assert first["tracking_code"] != second["tracking_code"]
    assert first["access_token"] != second["access_token"]


def test_a_code_already_in_use_is_never_given_again(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = file(client)
    draws = iter([first["tracking_code"], "PGD-NEW0-C0DE"])
    monkeypatch.setattr(drawing, "new_tracking_code", lambda: next(draws))

    second = file(client)

    assert second["tracking_code"] == "PGD-NEW0-C0DE"
    assert row_counts()["complaints"] == 2


def test_the_access_token_is_stored_only_as_its_sha256(client: TestClient) -> None:
    filed = file(client)

    with get_db().sessions() as session:
        complaint = session.scalars(select(Complaint)).one()
        stored = {
            column.name: getattr(complaint, column.key) for column in Complaint.__table__.columns
        }
    assert complaint.access_token_hash == hashlib.sha256(filed["access_token"].encode()).hexdigest()
    assert filed["access_token"] not in json.dumps(stored, default=str)
    assert all(filed["access_token"] not in json.dumps(row.payload) for row in outbox_rows())


def test_the_complaint_is_stored_normalised_with_a_submitted_timeline(client: TestClient) -> None:
    filed = file(
        client, reporter={"email": "Budi.Santoso@EXAMPLE.ID", "phone": "+62 812-3456-7890"}
    )

    with get_db().sessions() as session:
        complaint = session.scalars(select(Complaint)).one()
        entries = list(session.scalars(select(TimelineEntry)))
    assert complaint.tracking_code == filed["tracking_code"]
    assert complaint.reporter_email == "Budi.Santoso@example.id"
    assert complaint.reporter_phone == "+6281234567890"
    assert complaint.channels == ["email", "sms", "app"]
    assert (complaint.status, complaint.status_sequence, complaint.answer) == ("submitted", 0, None)
    assert [(e.status, e.message_id) for e in entries] == [("submitted", None)]


def test_filing_commits_the_complaint_with_both_outbox_messages(client: TestClient) -> None:
    filed = file(client, channels=["email", "app"])

    assert row_counts() == {**NOTHING, "complaints": 1, "timeline_entries": 1, "outbox": 2}
    notify_row, arrive_row = outbox_rows()
    assert arrive_row.task_name == FIRST_STEP.arrive_task
    handed = ComplaintFiledV1.model_validate(arrive_row.payload)
    assert handed.tracking_code == filed["tracking_code"]
    assert handed.reporter.phone == "+6281234567890"
    assert [c.value for c in handed.channels] == ["email", "app"]

    assert notify_row.task_name == NOTIFY_TASK
    ack = NotificationRequestedV1.model_validate(notify_row.payload)
    assert ack.kind is NotificationKind.FILED
    assert (ack.tracking_code, ack.subject) == (filed["tracking_code"], "Izin usaha belum terbit")
    assert ack.recipient.email == CITIZEN_EMAIL


def test_the_acknowledgement_queued_at_filing_says_received_not_registered(
    client: TestClient,
) -> None:
    """Intake holds the laporan; registering it is the workflow's (step 1), later. What the
    notifier will make of the queued acknowledgement must claim no more than receipt."""
    file(client, channels=["email", "sms", "app"])
    [row] = [r for r in outbox_rows() if r.task_name == NOTIFY_TASK]
    ack = NotificationRequestedV1.model_validate(row.payload)
    assert ack.kind is NotificationKind.FILED
    composed = compose(ack)
    for said in (composed.subject, composed.body, composed.html, sms_text(ack)):
        assert "terima" in said and ack.tracking_code in said
        for claim in ("teregister", "terdaftar", "diteruskan"):
            assert claim not in said.lower(), claim


def test_the_relay_publishes_both_messages_onto_the_admin_and_notifier_queues(
    client: TestClient, configured: dict[str, str]
) -> None:
    broker = configured["PENGADUAN_REDIS_URL"]
    filed = file(client)

    wait_for(lambda: queued(broker, "admin") and queued(broker, "notifier"), 15, "both queues")
    [to_admin] = queued(broker, "admin")
    [to_notifier] = queued(broker, "notifier")
    assert to_admin["headers"]["task"] == FIRST_STEP.arrive_task
    assert _body_of(to_admin)["tracking_code"] == filed["tracking_code"]
    assert to_notifier["headers"]["task"] == NOTIFY_TASK
    assert _body_of(to_notifier)["kind"] == "filed"
    # Task ids are the outbox ids: a consumer can tell a re-publish from a new message.
    assert {to_admin["headers"]["id"], to_notifier["headers"]["id"]} == {
        row.id for row in outbox_rows()
    }
    wait_for(lambda: all(row.published_at for row in outbox_rows()), 15, "rows marked published")


def test_whatsapp_is_a_channel_of_its_own_to_the_given_phone(client: TestClient) -> None:
    filed = file(client, reporter={"email": None}, channels=["whatsapp", "app"])

    with get_db().sessions() as session:
        complaint = session.scalars(select(Complaint)).one()
    assert complaint.channels == ["whatsapp", "app"]
    [row] = [r for r in outbox_rows() if r.task_name == NOTIFY_TASK]
    ack = NotificationRequestedV1.model_validate(row.payload)
    assert ack.tracking_code == filed["tracking_code"]
    assert [c.value for c in ack.channels] == ["whatsapp", "app"]
    assert ack.recipient.phone == "+6281234567890"
