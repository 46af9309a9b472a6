"""After the answer, as intake's consumers apply the workflow's news: answered is no longer
final. A reopening (a status change from after the answer, with the reason) moves the tracking
page back; the new answer replaces the first on the page, both stay on the timeline; the close
ends it. Each message acts once, and one from before the answer the page shows moves nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.intake.database import get_db
from services.intake.filing.complaints import apply_answer, apply_status_change
from services.intake.models import Complaint
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import INTAKE_ANSWERED_TASK, CaseStatusChangedV1
from shared.sop import STATUS_LABELS
from tests.intake.conftest import (
    ANSWER,
    OPEN_UNTIL,
    answer,
    file,
    headers,
    status_change,
    track,
)

REASON = "Izin belum dapat diunduh di OSS."
SECOND = "Izin usaha Anda terbit hari ini; silakan unduh di OSS dengan NIB Anda."


@pytest.fixture
def filed(client: TestClient) -> dict[str, str]:
    return file(client)


def stored(code: str) -> Complaint:
    with get_db().sessions() as session:
        return session.scalars(select(Complaint).where(Complaint.tracking_code == code)).one()


def timeline(client: TestClient, filed: dict[str, str]) -> list[tuple[str, str | None]]:
    entries = track(client, filed["tracking_code"], filed["access_token"])["timeline"]
    return [(e["status"], e["note"]) for e in entries]


def test_the_answer_keeps_its_reopening_window(filed: dict[str, str]) -> None:
    answer(filed["tracking_code"])
    assert stored(filed["tracking_code"]).reopen_until == OPEN_UNTIL


def test_a_reopening_after_the_answer_moves_the_page_back(
    client: TestClient, filed: dict[str, str]
) -> None:
    code = filed["tracking_code"]
    status_change(code, "answer_ready", 10)
    answer(code)
    reopened = status_change(code, "verifying", 12, note=REASON)

    tracked = track(client, code, filed["access_token"])
    assert tracked["status"] == "verifying"
    assert tracked["status_label"] == STATUS_LABELS["verifying"]
    assert (stored(code).status_sequence, stored(code).answer) == (12, ANSWER)
    assert timeline(client, filed)[-2:] == [("answered", ANSWER), ("verifying", REASON)]
    # The same message delivered again, even past the consumer's inbox, adds nothing.
    before = timeline(client, filed)
    with get_db().transaction() as session:
        apply_status_change(session, reopened)
    assert timeline(client, filed) == before


def test_a_status_from_before_the_answer_moves_nothing_whatever_its_sequence(
    client: TestClient, filed: dict[str, str]
) -> None:
    code = filed["tracking_code"]
    late = CaseStatusChangedV1(tracking_code=code, status="answer_ready", sequence=10)
    answer(code)  # sent later, delivered first
    with get_db().transaction() as session:
        apply_status_change(session, late)
    assert stored(code).status == "answered"


def test_a_second_answer_replaces_the_first_on_the_page_and_both_stay_on_the_timeline(
    client: TestClient, filed: dict[str, str]
) -> None:
    code = filed["tracking_code"]
    first = answer(code)
    status_change(code, "verifying", 12, note=REASON)
    second = answer(code, SECOND, reopen_until=OPEN_UNTIL + timedelta(days=14))

    tracked = track(client, code, filed["access_token"])
    assert (tracked["status"], tracked["answer"]) == ("answered", SECOND)
    assert datetime.fromisoformat(tracked["answered_at"]) == second.answered_at
    assert stored(code).reopen_until == OPEN_UNTIL + timedelta(days=14)
    assert [n for s, n in timeline(client, filed) if s == "answered"] == [ANSWER, SECOND]
    # The first answer's message delivered again (a redelivery) changes nothing.
    assert consume_once(get_db(), INTAKE_ANSWERED_TASK, first, apply_answer) == "duplicate"
    assert stored(code).answer == SECOND


def test_an_older_answer_arriving_late_stays_on_the_timeline_only(
    client: TestClient, filed: dict[str, str]
) -> None:
    code = filed["tracking_code"]
    second = answer(code, SECOND)
    answer(code, ANSWER, answered_at=second.answered_at - timedelta(days=12))

    assert stored(code).answer == SECOND
    assert [n for s, n in timeline(client, filed) if s == "answered"] == [ANSWER, SECOND]


def test_the_close_is_shown_and_ends_the_case(client: TestClient, filed: dict[str, str]) -> None:
    code = filed["tracking_code"]
    answer(code)
    status_change(code, "closed", 12)
    status_change(code, "verifying", 11)  # older, overtaken on the way

    tracked = track(client, code, filed["access_token"])
    assert tracked["status"] == "closed"
    assert "ditutup" in tracked["status_label"]
    reopen = client.post(
        f"/api/v1/complaints/{code}/reopen", json={"reason": REASON}, headers=headers(filed)
    )
    assert reopen.status_code == 409


def test_the_reopening_asked_for_is_replaced_by_the_workflows_word(
    client: TestClient, filed: dict[str, str]
) -> None:
    code = filed["tracking_code"]
    answer(code)
    asked = client.post(
        f"/api/v1/complaints/{code}/reopen", json={"reason": REASON}, headers=headers(filed)
    )
    assert asked.status_code == 202
    assert stored(code).status == "reopen_requested"

    status_change(code, "verifying", 12, note=REASON)
    assert stored(code).status == "verifying"
