"""Outside the console's own routes the workflow service still answers a browser with a page of
the console's design, in Indonesian, leading back to the worklist: an address that is not there
(``/``, ``/foo``), a form refused before any route (CSRF, too large), an unhandled error. The
staff API and programs keep their JSON."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.exc import OperationalError

from services.workflow.api.app import create_app
from shared.web.domain_errors import TooManyRequests
from shared.web.pages import CONTENT_SECURITY_POLICY, MAX_FORM_BYTES
from tests.workflow.console_client import BASE_URL, csrf_token

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
PROGRAM = {"Accept": "application/json"}


@pytest.fixture
def workflow(configured: dict[str, str]) -> Iterator[TestClient]:
    app = create_app()

    def crash() -> None:
        raise RuntimeError("a bug")

    def busy() -> None:
        raise TooManyRequests("Terlalu sering. Coba lagi dalam 1 menit.", retry_after=60)

    def database_down() -> None:
        raise OperationalError("SELECT 1", {}, Exception("the database is restarting"))

    app.add_api_route("/console/rusak", crash)
    for prefix in ("", "/api/v1"):
        app.add_api_route(f"{prefix}/rusak", crash)
        app.add_api_route(f"{prefix}/sibuk", busy)
        app.add_api_route(f"{prefix}/basis-data", database_down)
    with TestClient(
        app, base_url=BASE_URL, follow_redirects=False, raise_server_exceptions=False
    ) as client:
        yield client


def assert_console_page(response: Response, status: int, heading: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    page = response.text
    assert '<html lang="id">' in page
    assert 'class="site-header"' in page
    assert '<a class="brand" href="/console">' in page
    assert "/static/console.css" in page
    assert f"<h1>{heading}</h1>" in page
    assert '<a class="button" href="/console" id="kembali">Kembali ke daftar kerja</a>' in page


def assert_json(response: Response, status: int) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()) >= {"code", "message"}


@pytest.mark.parametrize("path", ["/", "/foo"])
def test_an_unknown_address_is_a_page_pointing_to_the_console(
    workflow: TestClient, path: str
) -> None:
    assert_console_page(workflow.get(path, headers=BROWSER), 404, "Halaman tidak ditemukan")
    assert_json(workflow.get(path, headers=PROGRAM), 404)
    assert_json(workflow.get(f"/api/v1{path}", headers=BROWSER), 404)


def test_a_wrong_method_outside_the_console_is_a_page(workflow: TestClient) -> None:
    # /healthz answers GET only; a form posted to it is a browser's wrong turn.
    page = workflow.post("/healthz", data={"csrftoken": csrf_token(workflow)}, headers=BROWSER)
    assert_console_page(page, 405, "Tidak dapat dilakukan")
    assert_json(workflow.get("/api/v1/auth/token", headers=PROGRAM), 405)


def test_an_expired_form_is_a_page(workflow: TestClient) -> None:
    page = workflow.post("/console/masuk", data={"csrftoken": "palsu"}, headers=BROWSER)
    assert_console_page(page, 403, "Formulir kedaluwarsa")


def test_a_form_too_large_is_a_page(workflow: TestClient) -> None:
    data = {"csrftoken": csrf_token(workflow), "username": "x" * (2 * MAX_FORM_BYTES)}
    page = workflow.post("/console/masuk", data=data, headers=BROWSER)
    assert_console_page(page, 413, "Isian terlalu besar")


@pytest.mark.parametrize("path", ["/rusak", "/console/rusak"])
def test_a_server_error_is_a_page_for_a_browser_and_json_for_a_program(
    workflow: TestClient, path: str
) -> None:
    page = workflow.get(path, headers=BROWSER)
    assert_console_page(page, 500, "Terjadi kesalahan")
    assert "a bug" not in page.text
    api = workflow.get("/api/v1/rusak", headers=PROGRAM)
    assert_json(api, 500)
    assert api.json()["code"] == "internal_error"


def test_too_many_requests_is_a_page_with_retry_after(workflow: TestClient) -> None:
    page = workflow.get("/sibuk", headers=BROWSER)
    assert_console_page(page, 429, "Terlalu banyak percobaan")
    assert page.headers["retry-after"] == "60"
    assert_json(workflow.get("/api/v1/sibuk", headers=PROGRAM), 429)


def test_a_busy_database_is_a_page_with_retry_after(workflow: TestClient) -> None:
    page = workflow.get("/basis-data", headers=BROWSER)
    assert_console_page(page, 503, "Layanan sedang sibuk")
    assert page.headers["retry-after"] == "5"
    assert_json(workflow.get("/api/v1/basis-data", headers=PROGRAM), 503)
