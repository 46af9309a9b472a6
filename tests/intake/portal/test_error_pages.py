"""Every error a citizen's browser can get is a page of the portal's design, in Indonesian, with
a way back; the same request from a program (the API, or no ``Accept: text/html``) keeps the
JSON the API documents."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.exc import OperationalError

from services.intake.api.app import create_app
from shared.web.domain_errors import TooManyRequests
from shared.web.pages import MAX_FORM_BYTES
from tests.intake.portal.conftest import assert_clean_page, complaint_form, form

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PROGRAM = {"Accept": "application/json"}
TOO_LONG = "x" * (2 * MAX_FORM_BYTES)


def assert_portal_page(response: Response, status: int, heading: str, back: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert_clean_page(response)
    page = response.text
    assert 'class="site-header"' in page
    assert 'aria-label="Menu utama"' in page
    assert "/static/portal.css" in page
    assert f"<h1>{heading}</h1>" in page
    assert f'id="kembali">{back}</a>' in page


def assert_json(response: Response, status: int) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()) >= {"code", "message"}


def test_an_unknown_address_is_a_page_for_a_browser_and_json_for_a_program(
    portal: TestClient,
) -> None:
    assert_portal_page(
        portal.get("/tidak-ada", headers=BROWSER),
        404,
        "Halaman tidak ditemukan",
        "Kembali ke beranda",
    )
    assert_json(portal.get("/tidak-ada", headers=PROGRAM), 404)
    assert_json(portal.get("/tidak-ada"), 404)  # no Accept at all: curl, a script
    assert_json(portal.get("/api/v1/tidak-ada", headers=BROWSER), 404)  # the API stays JSON


def test_a_wrong_method_is_a_page_that_leads_back_to_tracking(portal: TestClient) -> None:
    page = portal.get("/lacak/PGD-AAAA-BBBB/balasan", headers=BROWSER)
    assert_portal_page(page, 405, "Tidak dapat dibuka dengan cara ini", "Kembali ke halaman lacak")
    assert_json(portal.get("/api/v1/complaints", headers=PROGRAM), 405)


def test_a_form_too_large_is_a_page_that_leads_back_to_the_form(portal: TestClient) -> None:
    data = form(portal, **complaint_form(description=TOO_LONG))
    page = portal.post("/", data=data, headers=BROWSER)
    assert_portal_page(page, 413, "Isian terlalu besar", "Kembali ke formulir")
    assert 'href="/" id="kembali"' in page.text
    api = portal.post(
        "/api/v1/complaints",
        content=b'{"description": "' + TOO_LONG.encode() + b'"}',
        headers={**PROGRAM, "Content-Type": "application/json"},
    )
    assert_json(api, 413)


@pytest.mark.parametrize(("path", "back"), [("/", "/"), ("/lacak", "/lacak")])
def test_an_expired_form_is_a_page_that_leads_back_to_it(
    portal: TestClient, path: str, back: str
) -> None:
    page = portal.post(path, data={"csrftoken": "palsu", "kode": "x"}, headers=BROWSER)
    assert_portal_page(page, 403, "Formulir kedaluwarsa", "Kembali ke formulir")
    assert f'href="{back}" id="kembali"' in page.text


@pytest.fixture
def failing_portal(configured: dict[str, str]) -> Iterator[TestClient]:
    """The portal with two routes that fail, one on a page's address and one on the API's:
    an unhandled exception, and a refusal to come back later."""
    app = create_app()
    _add_failing_routes(app)
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
        yield client


def _add_failing_routes(app: FastAPI) -> None:
    def crash() -> None:
        raise RuntimeError("a bug")

    def busy() -> None:
        raise TooManyRequests("Terlalu sering. Coba lagi dalam 1 menit.", retry_after=60)

    def database_down() -> None:
        raise OperationalError("SELECT 1", {}, Exception("the database is restarting"))

    for prefix in ("", "/api/v1"):
        app.add_api_route(f"{prefix}/rusak", crash)
        app.add_api_route(f"{prefix}/sibuk", busy)
        app.add_api_route(f"{prefix}/basis-data", database_down)


def test_a_server_error_is_a_page_for_a_browser_and_json_for_a_program(
    failing_portal: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    page = failing_portal.get("/rusak", headers=BROWSER)
    assert_portal_page(page, 500, "Terjadi kesalahan", "Kembali ke beranda")
    assert "a bug" not in page.text
    request_id = page.headers["x-request-id"]
    assert any(
        r.getMessage() == "unhandled error on GET /rusak" and r.exc_info for r in caplog.records
    )
    api = failing_portal.get("/api/v1/rusak", headers=PROGRAM)
    assert_json(api, 500)
    assert api.json()["code"] == "internal_error"
    assert api.headers["x-request-id"] != request_id


def test_too_many_requests_is_a_page_with_retry_after(failing_portal: TestClient) -> None:
    page = failing_portal.get("/sibuk", headers=BROWSER)
    assert_portal_page(page, 429, "Terlalu banyak permintaan", "Kembali ke beranda")
    assert "Coba lagi dalam 1 menit." in page.text
    assert page.headers["retry-after"] == "60"
    api = failing_portal.get("/api/v1/sibuk", headers=PROGRAM)
    assert_json(api, 429)
    assert api.headers["retry-after"] == "60"


def test_a_busy_database_is_a_page_with_retry_after(failing_portal: TestClient) -> None:
    page = failing_portal.get("/basis-data", headers=BROWSER)
    assert_portal_page(page, 503, "Layanan sedang sibuk", "Kembali ke beranda")
    assert page.headers["retry-after"] == "5"
    api = failing_portal.get("/api/v1/basis-data", headers=PROGRAM)
    assert_json(api, 503)
    assert api.json()["code"] == "temporarily_unavailable"
