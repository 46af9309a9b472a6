"""The complainant's reply deadline on intake's side: kept from the workflow's status change,
shown on the tracking page and in the tracking API while a request waits, and a reply after
it (the case closed as ``closed_no_response``, or the deadline passed before the close came) is
a 409 with a sentence saying so, nothing stored."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from services.intake.database import get_db
from services.intake.filing.complaints import apply_status_change
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import INTAKE_STATUS_TASK, CaseStatusChangedV1
from shared.sop import STATUS_LABELS
from tests.intake.conftest import row_counts
from tests.intake.portal.conftest import REQUEST_NOTE, by_id, form

# Friday 18 December 2026 at closing time (16.00 WIB). Only shown in these tests, never compared
# with the real clock; the test of a passed deadline uses one long past.
DUE = datetime(2026, 12, 18, 9, 0, tzinfo=UTC)
LONG_PAST = datetime(2020, 1, 6, 9, 0, tzinfo=UTC)
CLOSED = "closed_no_response"


def set_status(code: str, status: str, sequence: int, reply_due_at: datetime | None) -> None:
    msg = CaseStatusChangedV1(
        tracking_code=code,
        status=status,
        sequence=sequence,
        note=REQUEST_NOTE if status == "information_requested" else None,
        reply_due_at=reply_due_at,
    )
    consume_once(get_db(), INTAKE_STATUS_TASK, msg, apply_status_change)


def test_the_page_and_the_api_show_the_reply_deadline(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, token = tracked
    set_status(code, "information_requested", 5, DUE)

    page = portal.get(f"/lacak/{code}").text
    shown = " ".join(page.split())
    assert "Batas waktu tanggapan: <time" in shown
    assert '<time datetime="2026-12-18T09:00:00+00:00">18 Desember 2026, 16.00 WIB</time>' in shown
    api = portal.get(f"/api/v1/complaints/{code}", headers={"X-Access-Token": token})
    assert api.status_code == 200
    assert datetime.fromisoformat(api.json()["reply_due_at"]) == DUE


def test_an_old_status_message_without_a_deadline_shows_none(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, token = tracked
    old = {"tracking_code": code, "status": "information_requested", "sequence": 5}
    msg = CaseStatusChangedV1.model_validate(old)  # as queued before the field existed
    consume_once(get_db(), INTAKE_STATUS_TASK, msg, apply_status_change)

    assert "Batas waktu tanggapan" not in portal.get(f"/lacak/{code}").text
    api = portal.get(f"/api/v1/complaints/{code}", headers={"X-Access-Token": token})
    assert api.json()["reply_due_at"] is None


def test_after_the_close_the_page_says_so_and_a_reply_is_refused(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, token = tracked
    set_status(code, "information_requested", 5, DUE)
    set_status(code, CLOSED, 6, DUE)

    page = portal.get(f"/lacak/{code}").text
    assert by_id(page, "status") == STATUS_LABELS[CLOSED]
    assert "ditutup" in STATUS_LABELS[CLOSED]
    assert 'name="message"' not in page
    assert "Batas waktu tanggapan:" not in page

    before = row_counts()
    refused = portal.post(f"/lacak/{code}/balasan", data=form(portal, message="Ini datanya."))
    assert refused.status_code == 409
    text = " ".join(refused.text.split())
    assert "Batas waktu tanggapan (18 Desember 2026, 16.00 WIB) telah lewat" in text
    api = portal.post(
        f"/api/v1/complaints/{code}/replies",
        json={"message": "Ini datanya."},
        headers={"X-Access-Token": token},
    )
    assert api.status_code == 409
    assert api.json()["code"] == "reply_deadline_passed"
    assert "ditutup karena tidak ada tanggapan" in api.json()["message"]
    assert row_counts() == before


def test_a_reply_after_the_deadline_is_refused_before_the_close_arrives(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, token = tracked
    set_status(code, "information_requested", 5, LONG_PAST)
    before = row_counts()

    api = portal.post(
        f"/api/v1/complaints/{code}/replies",
        json={"message": "Ini datanya."},
        headers={"X-Access-Token": token},
    )

    assert api.status_code == 409
    assert api.json()["code"] == "reply_deadline_passed"
    assert row_counts() == before
