"""The APIs' interactive documentation works on the office's intranet: ``/docs`` (Swagger UI)
of both APIs renders the operations in a real browser, at phone and desktop width, and every
request the page makes goes to the service itself, under its content security policy. (At 360 px
Swagger UI's own layout is about 10 px wider than the window: it scrolls a little sideways, so
the width is not asserted here. ReDoc is not served: it fetches its logo from a CDN.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, Request

from tests.browser.conftest import NewPage
from tests.support.browser import WINDOW_SIZES
from tools.harness.processes import ApiProcess

# A summary each document holds, as the page must show it.
SHOWN = {
    "intake": "Ajukan laporan pengaduan",
    "workflow": "Masuk dan terima token petugas",
}
# What each page draws once it has read the OpenAPI document.
RENDERED = {"/docs": ".opblock-summary-description"}


@pytest.fixture
def api_urls(service_env: dict[str, str], tmp_path: Path) -> Iterator[dict[str, str]]:
    apis = {name: ApiProcess(name, service_env, tmp_path) for name in SHOWN}
    try:
        for api in apis.values():
            api.start()
        yield {name: api.url for name, api in apis.items()}
    finally:
        for api in apis.values():
            api.stop()


def _open(page: Page, path: str) -> tuple[list[str], list[str]]:
    """The page at ``path``, drawn; the URLs it requested and the console's errors."""
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requested.append(_url(request)))
    page.on("console", lambda message: _keep_error(message, errors))
    response = page.goto(path)
    assert response is not None
    assert response.status == 200
    page.locator(RENDERED[path]).first.wait_for(state="visible")
    return requested, errors


def _url(request: Request) -> str:
    return request.url


def _keep_error(message: ConsoleMessage, errors: list[str]) -> None:
    if message.type == "error":
        errors.append(message.text)


@pytest.mark.parametrize("size", WINDOW_SIZES)
@pytest.mark.parametrize("path", RENDERED)
def test_api_docs_render_from_the_service_alone(
    api_urls: dict[str, str], new_page: NewPage, path: str, size: str
) -> None:
    for service, url in api_urls.items():
        page = new_page(url, size)
        requested, errors = _open(page, path)

        page.get_by_text(SHOWN[service]).first.wait_for(state="visible")
        outside = [u for u in requested if not u.startswith((url, "data:", "blob:"))]
        assert outside == [], f"{service}{path} loaded from outside the service: {outside}"
        assert any("/static-offline-docs/" in u for u in requested)
        assert errors == [], f"{service}{path} logged errors: {errors}"
        assert page.request.get(f"{url}/redoc").status == 404
