"""Requests per client address: filing and tracking lookups are counted in Redis; one too many
is a 429 with Retry-After (JSON on the API, a page on the portal) and changes nothing. While
Redis does not answer, requests go through."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from services.intake.api.app import create_app
from shared.runtime.settings import Settings
from tests.intake.conftest import complaint_body, file, row_counts, set_settings
from tests.intake.portal.conftest import complaint_form, form, open_tracking

MISSING = "PGD-0000-0000"


@pytest.fixture
def limited(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return {
        **configured,
        **set_settings(monkeypatch, filing_limit="2/hour", tracking_limit="3/minute"),
    }


@pytest.fixture
def api(limited: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


@pytest.fixture
def portal(limited: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(), base_url="https://testserver") as client:
        client.get("/")  # the browser now holds the CSRF cookie
        yield client


def assert_limited_json(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert int(response.headers["Retry-After"]) >= 1
    body = response.json()
    assert body["code"] == "rate_limited"
    assert "Coba lagi dalam" in body["message"]


def test_filing_over_the_limit_is_429_and_files_nothing(api: TestClient) -> None:
    file(api)
    file(api)
    counts = row_counts()

    response = api.post("/api/v1/complaints", json=complaint_body())

    assert_limited_json(response)
    assert "laporan pengaduan" in response.json()["message"]
    assert 3000 <= int(response.headers["Retry-After"]) <= 3600  # the hour's window
    assert row_counts() == counts


def test_tracking_lookups_over_the_limit_are_429(api: TestClient) -> None:
    wrong = {"X-Access-Token": "bukan-token"}
    answers = [api.get(f"/api/v1/complaints/{MISSING}", headers=wrong) for _ in range(3)]
    assert [a.status_code for a in answers] == [404, 404, 404]

    assert_limited_json(api.get(f"/api/v1/complaints/{MISSING}", headers=wrong))
    # The sub-resources share the count.
    assert_limited_json(api.get(f"/api/v1/complaints/{MISSING}/messages", headers=wrong))
    assert_limited_json(
        api.post(f"/api/v1/complaints/{MISSING}/replies", json={"message": "Ini"}, headers=wrong)
    )


def test_tracking_and_filing_are_counted_apart(api: TestClient) -> None:
    for _ in range(3):
        api.get(f"/api/v1/complaints/{MISSING}", headers={"X-Access-Token": "x"})
    assert api.get(f"/api/v1/complaints/{MISSING}").status_code == 429
    file(api)  # filing has its own count


def test_each_client_address_has_its_own_count(limited: dict[str, str]) -> None:
    app = create_app()
    with TestClient(app, client=("192.0.2.10", 5000)) as first:
        file(first)
        file(first)
        assert first.post("/api/v1/complaints", json=complaint_body()).status_code == 429
    with TestClient(app, client=("192.0.2.11", 5000)) as second:
        file(second)


def test_the_portal_form_over_the_limit_is_a_429_page(portal: TestClient) -> None:
    for _ in range(2):
        assert portal.post("/", data=form(portal, **complaint_form())).status_code == 200
    counts = row_counts()

    response = portal.post("/", data=form(portal, **complaint_form()))

    assert response.status_code == 429
    assert response.headers["content-type"].startswith("text/html")
    assert int(response.headers["Retry-After"]) >= 1
    assert "Terlalu banyak laporan pengaduan dikirim dari alamat Anda" in response.text
    assert row_counts() == counts


def test_the_portal_tracking_form_over_the_limit_is_a_429_page(portal: TestClient) -> None:
    for _ in range(3):
        assert open_tracking(portal, MISSING, "bukan-token").status_code == 404

    response = open_tracking(portal, MISSING, "bukan-token")

    assert response.status_code == 429
    assert response.headers["content-type"].startswith("text/html")
    assert "Terlalu banyak permintaan pelacakan" in response.text
    assert not any("pgd_lacak" in c for c in response.headers.get_list("set-cookie"))


def test_while_redis_is_unreachable_requests_go_through_with_a_warning(
    api: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Only the limits' connection: a closed port, refused at once.
    monkeypatch.setattr(
        "services.intake.api.client_limits._broker_url", lambda: "redis://127.0.0.1:1/0"
    )
    with caplog.at_level(logging.WARNING, logger="services.intake.api.client_limits"):
        for _ in range(3):
            file(api)

    assert row_counts()["complaints"] == 3
    assert "request limits unavailable" in caplog.text


@pytest.mark.parametrize("value", ["bogus", "10 per fortnight", ""])
def test_a_malformed_limit_is_refused_at_start(value: str) -> None:
    with pytest.raises(ValidationError):
        Settings(limits={"filing": value})
