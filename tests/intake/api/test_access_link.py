"""``POST /api/v1/complaints/{code}/access-link``: byte for byte the same answer for a code that
exists with a contact, one that does not exist, one whose complaint has no contact, and a
malformed one; the same work queued for each well-formed code; limits per code (from any
address) and per client that say nothing of the code either."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from services.intake.api.app import create_app
from services.intake.tracking.access_links import neutral_message
from shared.messaging.contracts import INTAKE_ACCESS_LINK_TASK
from tests.intake.conftest import complaint_without_contact, file, outbox_rows, set_settings

MISSING = "PGD-0000-0000"
# Headers that differ between any two requests, whatever they ask.
PER_REQUEST = {"x-request-id", "date"}


@pytest.fixture
def limited(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return {
        **configured,
        **set_settings(
            monkeypatch, access_link_limit="4/hour", access_link_per_code_limit="2/hour"
        ),
    }


def client_at(address: str) -> TestClient:
    return TestClient(create_app(), client=(address, 5000))


@pytest.fixture
def api(limited: dict[str, str]) -> Iterator[TestClient]:
    with client_at("192.0.2.10") as client:
        yield client


def ask(client: TestClient, code: str) -> httpx.Response:
    return client.post(f"/api/v1/complaints/{code}/access-link")


def comparable(response: httpx.Response) -> tuple[int, bytes, list[tuple[str, str]]]:
    headers = sorted((k, v) for k, v in response.headers.items() if k not in PER_REQUEST)
    return response.status_code, response.content, headers


def queued_codes() -> list[str]:
    return [
        row.payload["tracking_code"]
        for row in outbox_rows()
        if row.task_name == INTAKE_ACCESS_LINK_TASK
    ]


def test_every_kind_of_code_gets_the_same_answer_byte_for_byte(configured: dict[str, str]) -> None:
    with client_at("192.0.2.10") as filer:
        known = file(filer)["tracking_code"]
    silent = complaint_without_contact()
    codes = {
        "exists with a contact": known,
        "does not exist": MISSING,
        "exists without a contact": silent,
        "typed loosely": known.lower().replace("-", " "),
        "malformed but plausible": "PGD-7KQ2-M9X",
    }
    answers = {}
    for number, (kind, code) in enumerate(codes.items()):
        with client_at(f"198.51.100.{number}") as asker:  # each from its own address
            answers[kind] = comparable(ask(asker, code))

    first = answers["exists with a contact"]
    assert first[0] == 202
    assert first[1] == f'{{"message":"{neutral_message()}"}}'.encode()
    assert ("cache-control", "no-store") in first[2]
    for kind, answer in answers.items():
        assert answer == first, kind
    # The same work for each well-formed code: one request queued, whatever the code.
    assert sorted(queued_codes()) == sorted([known, MISSING, silent, known])


def test_the_answer_is_in_indonesian_and_names_no_code(api: TestClient) -> None:
    message = ask(api, MISSING).json()["message"]
    assert "tautan untuk membuat token akses baru" in message
    assert "berlaku 30 menit" in message
    assert MISSING not in message


def test_one_code_is_limited_from_any_address_known_or_not(limited: dict[str, str]) -> None:
    with client_at("192.0.2.10") as filer:
        known = file(filer)["tracking_code"]
    for code in (known, MISSING):
        statuses = []
        for number in range(3):
            with client_at(f"203.0.113.{number}") as asker:
                statuses.append(ask(asker, code))
        assert [s.status_code for s in statuses] == [202, 202, 429], code
        refused = statuses[-1].json()
        assert refused["code"] == "rate_limited"
        assert refused["message"].startswith("Terlalu banyak permintaan tautan akses. Coba lagi")
        assert int(statuses[-1].headers["Retry-After"]) >= 1
    assert sorted(queued_codes()) == sorted([known, known, MISSING, MISSING])  # none for a 429


def test_one_client_is_limited_across_codes(api: TestClient) -> None:
    codes = ["PGD-0000-0001", "PGD-0000-0002", "PGD-0000-0003", "PGD-0000-0004"]
    assert [ask(api, code).status_code for code in codes] == [202] * 4

    refused = ask(api, "PGD-0000-0005")
    assert refused.status_code == 429
    assert refused.json()["message"].startswith("Terlalu banyak permintaan tautan akses.")
    with client_at("192.0.2.99") as other:  # another address still may
        assert ask(other, "PGD-0000-0005").status_code == 202
