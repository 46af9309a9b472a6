"""The pages' common ground: every form needs its CSRF token (a forged post changes nothing and
is told so in Indonesian), pages carry the security headers and the content security policy, and
the layout names its language and skips to its content."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import pytest
from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient

from shared.web.pages import (
    CONTENT_SECURITY_POLICY,
    CSRF_COOKIE,
    MAX_FORM_BYTES,
    SHARED_TEMPLATES,
    csrf_token,
    install_pages,
    page_templates,
)

received: list[str] = []


@pytest.fixture
def client(configured: dict[str, str]) -> Iterator[TestClient]:
    app = FastAPI()
    install_pages(app)
    templates = page_templates(SHARED_TEMPLATES)

    @app.get("/", response_class=HTMLResponse)
    def page(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(
            request,
            "base.html",
            {"csrf": csrf_token(request.scope)},
        )

    @app.post("/kirim")
    def post(name: Annotated[str, Form()]) -> dict[str, str]:
        received.append(name)
        return {"ok": name}

    @app.post("/api/v1/thing")
    def api() -> dict[str, str]:
        return {"ok": "api"}

    received.clear()
    # HTTPS, as in production: the CSRF cookie is Secure.
    with TestClient(app, base_url="https://testserver") as client:
        yield client


def test_a_page_carries_the_policy_and_the_security_headers(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert '<html lang="id">' in response.text
    assert 'href="#isi"' in response.text
    assert "/static/pengaduan.css?v=" in response.text


def test_the_stylesheet_is_served_by_the_service_itself(client: TestClient) -> None:
    page = client.get("/").text
    href = page.split('href="/static/', 1)[1].split('"', 1)[0]
    css = client.get(f"/static/{href}")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")


def test_a_form_post_without_its_token_is_refused_and_changes_nothing(client: TestClient) -> None:
    client.get("/")  # the browser now holds the CSRF cookie
    assert CSRF_COOKIE in client.cookies
    refused = client.post("/kirim", data={"name": "Budi"})
    assert refused.status_code == 403
    assert "kedaluwarsa" in refused.text
    forged = client.post("/kirim", data={"name": "Budi", "csrftoken": "palsu"})
    assert forged.status_code == 403
    assert received == []


def test_a_form_post_with_its_token_goes_through(client: TestClient) -> None:
    client.get("/")
    token = client.cookies[CSRF_COOKIE]
    accepted = client.post("/kirim", data={"name": "Budi", "csrftoken": token})
    assert accepted.status_code == 200
    assert received == ["Budi"]


def test_a_form_post_from_a_browser_without_the_cookie_is_refused(client: TestClient) -> None:
    client.cookies.clear()
    refused = client.post("/kirim", data={"name": "Budi", "csrftoken": "apa saja"})
    assert refused.status_code == 403
    assert received == []


def test_the_csrf_cookie_is_secure_and_same_site_strict(client: TestClient) -> None:
    cookie = client.get("/").headers["set-cookie"]
    assert cookie.startswith(f"{CSRF_COOKIE}=")
    assert "Secure" in cookie
    assert "SameSite=Strict" in cookie


def test_the_json_api_is_left_to_its_header_authentication(client: TestClient) -> None:
    client.cookies.clear()
    assert client.post("/api/v1/thing").status_code == 200


def test_a_form_that_is_not_utf8_reaches_the_page_as_sent(client: TestClient) -> None:
    # asgi-csrf decodes the body strictly and would fail with a 500: the page judges it instead.
    client.get("/")
    body = b"csrftoken=" + client.cookies[CSRF_COOKIE].encode() + b"&name=Budi\xff"
    response = client.post(
        "/kirim", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code != 500
    assert response.status_code != 403  # the token itself was fine


def test_an_oversized_form_is_refused_before_it_is_read_whole(client: TestClient) -> None:
    client.get("/")
    token = client.cookies[CSRF_COOKIE]
    response = client.post("/kirim", data={"name": "a" * MAX_FORM_BYTES, "csrftoken": token})
    assert response.status_code == 413
    assert "terlalu besar" in response.text
    assert received == []
