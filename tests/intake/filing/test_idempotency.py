"""``Idempotency-Key`` on filing: a retried request gets the first answer and files nothing new;
the same key with another body is refused; the stored answer keeps no token in plain text."""

from __future__ import annotations

import threading
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from services.intake.database import get_db
from services.intake.filing.idempotency import RETENTION
from services.intake.models import FilingKey
from shared.database.engine import utcnow
from tests.intake.conftest import complaint_body, row_counts, track

KEY = "5f0c3a1e-6d7b-4c2a-9e1f-8b7a6c5d4e3f"


def _file(client: TestClient, key: str | bytes, **overrides: object) -> httpx.Response:
    return client.post(
        "/api/v1/complaints",
        json=complaint_body(**overrides),
        headers={"Idempotency-Key": key},  # type: ignore[dict-item]
    )


def test_a_retry_with_the_same_key_gets_the_first_answer_and_files_nothing(
    client: TestClient,
) -> None:
    first = _file(client, KEY)
    assert first.status_code == 202, first.text
    counts = row_counts()

    retry = _file(client, KEY)

    assert retry.status_code == 202, retry.text
    assert retry.json() == first.json()  # the same tracking code and the same access token
    assert retry.headers["Location"] == first.headers["Location"]
    assert retry.headers["Cache-Control"] == "no-store"
    assert row_counts() == counts
    assert track(client, first.json()["tracking_code"], retry.json()["access_token"])


def test_the_same_key_with_another_body_is_refused_and_changes_nothing(
    client: TestClient,
) -> None:
    assert _file(client, KEY).status_code == 202
    counts = row_counts()

    other = _file(client, KEY, subject="Perizinan reklame belum diproses")

    assert other.status_code == 409, other.text
    assert other.json()["code"] == "idempotency_key_reused"
    assert "isi yang berbeda" in other.json()["message"]
    assert row_counts() == counts


def test_different_keys_file_different_complaints(client: TestClient) -> None:
    first, second = _file(client, KEY), _file(client, f"{KEY}-2")
    assert first.json()["tracking_code"] != second.json()["tracking_code"]
    assert row_counts()["complaints"] == 2


@pytest.mark.parametrize(
    "key",
    ["", "x" * 101, "kunci\tdengan\ttab", "kunci-é".encode("latin-1")],
    ids=["empty", "too-long", "control-characters", "not-ascii"],
)
def test_a_malformed_key_is_refused_in_indonesian(client: TestClient, key: str | bytes) -> None:
    response = _file(client, key)

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_input"
    assert "karakter ASCII yang dapat dicetak" in response.json()["message"]
    assert row_counts()["complaints"] == 0


def test_the_longest_key_is_accepted(client: TestClient) -> None:
    assert _file(client, "~" * 100).status_code == 202


def test_the_kept_answer_holds_no_access_token_in_plain_text(client: TestClient) -> None:
    filed = _file(client, KEY).json()

    with get_db().sessions() as session:
        record = session.scalars(select(FilingKey)).one()
        stored = " ".join(str(v) for v in (record.key, record.request_hash, record.answer))

    assert filed["access_token"] not in stored
    assert filed["tracking_code"] not in stored


def test_two_concurrent_requests_with_one_key_file_one_complaint(client: TestClient) -> None:
    start = threading.Barrier(2)
    answers: list[httpx.Response] = []

    def send() -> None:
        start.wait()
        answers.append(_file(client, KEY))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [a.status_code for a in answers] == [202, 202], [a.text for a in answers]
    assert answers[0].json() == answers[1].json()
    assert row_counts()["complaints"] == 1


def test_a_key_older_than_the_retention_files_anew(client: TestClient) -> None:
    first = _file(client, KEY).json()
    with get_db().transaction() as session:
        expired = utcnow() - RETENTION - timedelta(minutes=1)
        session.execute(update(FilingKey).values(created_at=expired))

    again = _file(client, KEY)

    assert again.status_code == 202
    assert again.json()["tracking_code"] != first["tracking_code"]
    assert row_counts()["complaints"] == 2
