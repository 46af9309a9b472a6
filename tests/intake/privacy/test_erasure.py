"""Intake's side of personal data erasure (UU 27/2022): the complainant asks through the API
once the complaint is closed (202; before, 409 in Indonesian with nothing written), the
request travels to the workflow once; and when the workflow's ComplaintErasedV1 arrives, every
table of intake loses the name, contacts and free text, the files leave the store, and the
tracking API still answers the code and token with the figures and the moment of erasure."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.intake.api.app import create_app
from services.intake.database import get_db
from services.intake.feedback import ratings
from services.intake.models import AccessLink, Complaint, PushSubscription
from services.intake.privacy.erasure import erase_complaint
from services.intake.privacy.requests import ERASED_MESSAGE
from services.intake.tracking.codes import hash_access_token
from shared.attachments import open_store
from shared.messaging.celery_app import task_routes
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    ERASED_MARKER,
    INTAKE_ERASE_TASK,
    WORKFLOW_ERASURE_TASK,
    ComplaintErasedV1,
    ErasureReason,
    ErasureRequestedV1,
)
from shared.runtime.settings import get_settings
from shared.sop import complainant_desk
from tests.intake.conftest import (
    CITIZEN_EMAIL,
    answer,
    complaint_body,
    deliver,
    file,
    headers,
    inbox_message,
    outbox_rows,
    row_counts,
    set_settings,
    status_change,
    stored_files,
    track,
    upload,
)
from tests.support.attachment_files import photo_with_gps
from tests.support.text_search import places_holding

BODY = complaint_body()
PERSONAL = (
    BODY["reporter"]["name"],
    CITIZEN_EMAIL,
    "81234567890",  # the phone as kept (E.164), without its country code
    BODY["description"],
    "Komentar pribadi Budi",
    "Alasan pribadi Budi",
)
ERASED_AT = datetime(2028, 12, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def api(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    set_settings(monkeypatch, tracking_limit="1000/minute")
    with TestClient(create_app()) as client:
        yield client


def ask(api: TestClient, filed: dict[str, Any]) -> Any:
    code = filed["tracking_code"]
    return api.post(f"/api/v1/complaints/{code}/erasure", headers=headers(filed))


def closed_complaint(api: TestClient) -> dict[str, Any]:
    """Filed with a photo, told of a decline reason, answered, rated with a comment, with an
    inbox message, a push subscription and an access link; then closed."""
    filed = file(api)
    code = filed["tracking_code"]
    assert upload(api, filed, "ktp-budi.jpg", photo_with_gps()).status_code == 201
    status_change(code, "verifying", 2, note=PERSONAL[5])
    answer(code)
    deliver(inbox_message(code, body=f"Jawaban untuk {PERSONAL[0]}"))
    with get_db().transaction() as session:
        complaint = session.scalar(select(Complaint).where(Complaint.tracking_code == code))
        assert complaint is not None
        ratings.rate(session, complaint, 4, PERSONAL[4])
        session.add(
            PushSubscription(
                complaint_id=complaint.id,
                endpoint="https://push.example/budi",
                p256dh="x",
                auth="y",
                created_at=ERASED_AT,
            )
        )
        session.add(
            AccessLink(
                id=str(uuid.uuid4()),
                complaint_id=complaint.id,
                token_hash=hash_access_token("link-token"),
                created_at=ERASED_AT,
                expires_at=ERASED_AT,
            )
        )
    status_change(code, "closed", 10)
    return filed


def erased(code: str, message_id: uuid.UUID | None = None) -> str:
    message = ComplaintErasedV1(
        message_id=message_id or uuid.uuid4(),
        tracking_code=code,
        reason=ErasureReason.RETENTION,
        erased_at=ERASED_AT,
    )
    return consume_once(
        get_db(),
        INTAKE_ERASE_TASK,
        message,
        lambda session, msg: erase_complaint(session, msg, open_store(get_settings())),  # type: ignore[arg-type,return-value]
    )


def test_before_the_close_erasure_is_refused_in_indonesian_with_nothing_written(
    api: TestClient,
) -> None:
    filed = file(api)
    answer(filed["tracking_code"])  # answered, its window open: not closed yet
    before = row_counts()

    response = ask(api, filed)

    assert response.status_code == 409, response.text
    assert response.json()["code"] == "not_closed"
    assert "setelah laporan pengaduan ditutup" in response.json()["message"]
    assert row_counts() == before
    unknown = api.post(
        "/api/v1/complaints/PGD-AAAA-AAAA/erasure", headers={"X-Access-Token": "x" * 43}
    )
    assert unknown.status_code == 404
    no_token = api.post(f"/api/v1/complaints/{filed['tracking_code']}/erasure")
    assert no_token.status_code == 401


def test_a_closed_complaints_erasure_is_asked_of_the_workflow_once(api: TestClient) -> None:
    filed = file(api)
    status_change(filed["tracking_code"], "declined", 3, note="Bukan kewenangan DPMPTSP")

    first = ask(api, filed)
    again = ask(api, filed)

    assert first.status_code == again.status_code == 202, first.text
    assert first.json()["message"].startswith("Permintaan penghapusan data pribadi")
    assert first.json()["erasure_requested_at"] is not None
    [row] = [r for r in outbox_rows() if r.task_name == WORKFLOW_ERASURE_TASK]
    asked = ErasureRequestedV1.model_validate(row.payload)
    assert asked.tracking_code == filed["tracking_code"]
    assert task_routes()[WORKFLOW_ERASURE_TASK]["queue"] == complainant_desk().value
    tracked = track(api, filed["tracking_code"], filed["access_token"])
    assert tracked["erasure_requested_at"] is not None and tracked["erased_at"] is None


def test_the_workflows_erasure_leaves_nothing_personal_in_intake(api: TestClient) -> None:
    filed = closed_complaint(api)
    code = filed["tracking_code"]
    assert stored_files()
    assert places_holding(get_db().url, PERSONAL)

    assert erased(code) == "applied"

    assert places_holding(get_db().url, PERSONAL) == []
    assert stored_files() == []
    tracked = track(api, code, filed["access_token"])  # the token still opens it
    assert tracked["status"] == "closed"
    assert tracked["erased_at"] == ERASED_AT.isoformat().replace("+00:00", "Z")
    assert tracked["answer"] == ERASED_MARKER
    assert tracked["attachments"] == []
    assert [e["status"] for e in tracked["timeline"]] == [
        "submitted",
        "verifying",
        "answered",
        "closed",
    ]
    assert {e["note"] for e in tracked["timeline"]} <= {None, ERASED_MARKER}
    assert tracked["rating"]["score"] == 4 and tracked["rating"]["comment"] == ERASED_MARKER
    with get_db().sessions() as session:
        complaint = session.scalar(select(Complaint).where(Complaint.tracking_code == code))
        assert complaint is not None
        assert (complaint.reporter_name, complaint.reporter_email, complaint.reporter_phone) == (
            ERASED_MARKER,
            None,
            None,
        )
        assert session.scalars(select(PushSubscription)).all() == []
        assert session.scalars(select(AccessLink)).all() == []
    # A second erasure (another message) changes nothing; nor does asking again.
    before = row_counts()
    assert erased(code) == "applied"
    assert row_counts() == before
    response = ask(api, filed)
    assert response.status_code == 202
    assert response.json()["message"] == ERASED_MESSAGE
    assert [r for r in outbox_rows() if r.task_name == WORKFLOW_ERASURE_TASK] == []
