"""Driving the staff console as a browser does, in-process: over HTTPS (the session and CSRF
cookies are Secure), every form posted with the CSRF token its page carried."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from fastapi.testclient import TestClient

from services.workflow.api.app import create_app
from shared.sop import Role
from shared.web.pages import CSRF_COOKIE
from tests.workflow.conftest import PASSWORD

BASE_URL = "https://testserver"
SESSION_COOKIE = "pgd_sesi"


def csrf_token(client: TestClient) -> str:
    if CSRF_COOKIE not in client.cookies:
        client.get("/console/masuk")
    return str(client.cookies[CSRF_COOKIE])


def post_form(client: TestClient, url: str, data: dict[str, Any] | None = None) -> httpx.Response:
    return client.post(url, data={**(data or {}), "csrftoken": csrf_token(client)})


def log_in(client: TestClient, role: Role, password: str = PASSWORD) -> httpx.Response:
    client.get("/console/masuk")
    return post_form(
        client, "/console/masuk", {"username": f"petugas_{role.value}", "password": password}
    )


def form_paths(page: str) -> list[str]:
    """The data-path of every form on the page, in order."""
    return re.findall(r'<form [^>]*data-path="([^"]+)"', page)


@contextmanager
def open_console() -> Iterator[TestClient]:
    """The workflow app as a browser sees it: HTTPS, redirects not followed (tests check them)."""
    with TestClient(create_app(), base_url=BASE_URL, follow_redirects=False) as client:
        yield client
