"""The APIs' interactive documentation works on the office's intranet: ``/docs`` (Swagger UI)
and ``/redoc`` (ReDoc) of both APIs render the operations in a real browser, at phone and
desktop width, with every request to anywhere but the service itself blocked (as on a network
without the internet), under their content security policy. The icons a browser asks for
(``/favicon.ico``, the portal's web app manifest and its icons) are there too. (At 360 px
Swagger UI's own layout is about 10 px wider than the window: it scrolls a little sideways, so
the width is not asserted here.)"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from playwright.sync_api import ConsoleMessage, Page, Route

from tests.browser.conftest import NewPage
from tests.support.browser import WINDOW_SIZES

# A summary each document holds, as the page must show it.
SHOWN = {
    "intake": "Ajukan laporan pengaduan",
    "workflow": "Masuk dan terima token petugas",
}
# What each page draws once it has read the OpenAPI document, and where it shows a summary.
RENDERED = {
    "/docs": (".opblock-summary-description", ".opblock-summary-description"),
    "/redoc": ("[data-section-id^='operation/']", "[data-section-id^='operation/'] h2"),
}


def _offline(page: Page, service_url: str) -> list[str]:
    """Abort every request that is not for the service; the list of those aborted."""
    blocked: list[str] = []

    def route(request_route: Route) -> None:
        url = request_route.request.url
        if url.startswith(f"{service_url}/"):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    return blocked


def _keep_error(message: ConsoleMessage, errors: list[str]) -> None:
    if message.type == "error":
        errors.append(message.text)


@pytest.mark.parametrize("size", WINDOW_SIZES)
@pytest.mark.parametrize("path", RENDERED)
def test_api_docs_render_with_the_internet_blocked(
    api_urls: dict[str, str], new_page: NewPage, path: str, size: str
) -> None:
    drawn, summaries = RENDERED[path]
    for service, url in api_urls.items():
        page = new_page(url, size)
        blocked = _offline(page, url)
        errors: list[str] = []
        page.on("console", lambda message, errors=errors: _keep_error(message, errors))
        response = page.goto(path)
        assert response is not None
        assert response.status == 200
        page.locator(drawn).first.wait_for(state="attached")
        page.locator(summaries, has_text=SHOWN[service]).first.wait_for(state="visible")

        assert blocked == [], f"{service}{path} asked outside the service: {blocked}"
        assert errors == [], f"{service}{path} logged errors: {errors}"


def test_the_icons_are_served(api_urls: dict[str, str], new_page: NewPage) -> None:
    for service, url in api_urls.items():
        page = new_page(url)
        favicon = page.request.get(f"{url}/favicon.ico")
        assert favicon.status == 200, service
        assert favicon.headers["content-type"].startswith("image/"), service
    portal = api_urls["intake"]
    page = new_page(portal)
    page.goto("/")
    manifest_href = page.locator("link[rel=manifest]").get_attribute("href")
    assert manifest_href is not None
    manifest = page.request.get(urljoin(f"{portal}/", manifest_href))
    assert manifest.status == 200
    document = manifest.json()
    assert document["lang"] == "id"
    assert document["name"].startswith("Pengaduan")
    assert document["start_url"] == "/"
    sizes = set()
    for icon in document["icons"]:
        answer = page.request.get(urljoin(f"{portal}/", icon["src"]))
        assert answer.status == 200, icon["src"]
        assert answer.headers["content-type"] == icon["type"] == "image/png"
        sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes
    for link in page.locator("link[rel=icon]").all():
        href = link.get_attribute("href")
        assert href is not None
        assert page.request.get(urljoin(f"{portal}/", href)).status == 200
