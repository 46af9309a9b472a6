"""The browser test tools themselves, on pages of a tiny local server (not the project's pages):
axe passes an accessible page and fails one with serious violations, naming each rule and
element; a watched page fails on console errors and failed loads; screenshots have the window's
pixel size; the fixtures reach the running system."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page

from shared.web.pages import CONTENT_SECURITY_POLICY
from tests.browser.conftest import LiveSystem
from tests.support.browser import (
    WINDOW_SIZES,
    assert_no_page_errors,
    check_accessibility,
    png_size,
    screenshot,
    screenshots,
)

STYLESHEET = """
body { font-family: sans-serif; color: #1a1a1a; background: #ffffff; margin: 1rem; }
.faint { color: #c8c8c8; background: #ffffff; }
"""

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    '<rect width="40" height="40" fill="#0b5394"/></svg>'
)

HEAD = """<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/style.css">
</head>
"""

ACCESSIBLE = (
    HEAD.format(title="Lacak pengaduan")
    + """<body>
<header><img src="/logo.svg" alt="Logo DPMPTSP Kota Madiun" width="40" height="40"></header>
<main>
<h1>Lacak pengaduan</h1>
<form method="get" action="/ok">
<label for="kode">Kode pelacakan</label>
<input id="kode" name="kode" type="text" autocomplete="off">
<button type="submit">Lacak</button>
</form>
<p>Masukkan kode pelacakan yang Anda terima saat mengirim pengaduan.</p>
</main>
</body>
</html>
"""
)

BROKEN = (
    HEAD.format(title="Halaman rusak")
    + """<body>
<main>
<h1>Halaman rusak</h1>
<img src="/logo.svg" width="40" height="40">
<input id="tanpa-label" name="kode" type="text">
<p class="faint">Teks abu-abu muda yang hampir tak terbaca.</p>
</main>
</body>
</html>
"""
)

# A page with a missing image and a script that throws (allowed by the policy: same origin).
FAULTY = (
    HEAD.format(title="Halaman bermasalah")
    + """<body>
<main>
<h1>Halaman bermasalah</h1>
<img src="/tidak-ada.png" alt="Gambar yang hilang" width="40" height="40">
<script src="/throws.js"></script>
</main>
</body>
</html>
"""
)

ROUTES: dict[str, tuple[str, str]] = {
    "/ok": ("text/html; charset=utf-8", ACCESSIBLE),
    "/broken": ("text/html; charset=utf-8", BROKEN),
    "/style.css": ("text/css; charset=utf-8", STYLESHEET),
    "/logo.svg": ("image/svg+xml", LOGO),
    "/faulty": ("text/html; charset=utf-8", FAULTY),
    "/throws.js": ("text/javascript; charset=utf-8", "console.error('rusak'); null.x;"),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path not in ROUTES:
            self.send_error(404)
            return
        content_type, text = ROUTES[path]
        body = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        # The pages' own policy (no inline script or style): axe must run under it.
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        # As the pages' CSRF cookie is: Secure, SameSite=Strict, over plain http on 127.0.0.1.
        self.send_header("Set-Cookie", "probe=1; Path=/; Secure; HttpOnly; SameSite=Strict")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_an_accessible_page_passes(page: Page, site: str) -> None:
    page.goto(f"{site}/ok")
    assert page.locator("img").evaluate("img => img.naturalWidth") == 40  # CSS and SVG loaded

    violations = check_accessibility(page)

    assert violations == []
    assert page.evaluate("() => axe.version").startswith("4.")


def test_serious_violations_fail_the_test_naming_rule_and_element(page: Page, site: str) -> None:
    page.goto(f"{site}/broken")

    with pytest.raises(pytest.fail.Exception) as failed:
        check_accessibility(page)

    report = str(failed.value)
    for rule in ("image-alt", "label", "color-contrast"):
        assert f"- {rule} (" in report, report
    assert "(critical)" in report
    assert "(serious)" in report
    assert "#tanpa-label" in report  # the offending element's selector
    assert '<p class="faint">' in report, report  # and its HTML
    assert "Images must have alternative text" in report  # axe's help text


def test_a_part_of_the_page_can_be_checked_alone(page: Page, site: str) -> None:
    page.goto(f"{site}/broken")

    assert check_accessibility(page, context="h1") == []


def test_a_watched_page_fails_on_console_errors_and_failed_loads(page: Page, site: str) -> None:
    page.goto(f"{site}/ok")
    assert_no_page_errors(page)  # a clean page passes
    missing = page.goto(f"{site}/nowhere")
    assert missing is not None and missing.status == 404
    assert_no_page_errors(page)  # an error page is a page: its own 404 is no failure
    page.goto(f"{site}/faulty")
    page.wait_for_load_state("load")
    with pytest.raises(AssertionError) as failed:
        assert_no_page_errors(page)
    said = str(failed.value)
    assert "404 for GET" in said and "/tidak-ada.png" in said
    assert "console error: rusak" in said
    assert "uncaught:" in said
    assert_no_page_errors(page)  # told once, then the list starts again


def test_screenshots_have_the_window_size(page: Page, site: str, tmp_path: Path) -> None:
    page.goto(f"{site}/ok")

    saved = screenshots(page, "lacak", directory=tmp_path)

    assert saved == {size: tmp_path / f"lacak-{size}.png" for size in ("phone", "desktop")}
    assert png_size(saved["phone"]) == (360, 780)
    assert png_size(saved["desktop"]) == (1280, 800)
    assert page.viewport_size == WINDOW_SIZES["desktop"]._asdict()  # given back afterwards
    tall = screenshot(page, "lacak-full", "phone", directory=tmp_path, full_page=True)
    assert png_size(tall).width == 360
    assert png_size(tall).height >= 780
    with pytest.raises(ValueError, match="window size"):
        screenshot(page, "lacak", "tablet", directory=tmp_path)


def test_secure_strict_cookies_are_kept_on_plain_http_loopback(page: Page, site: str) -> None:
    # The pages' CSRF cookie is Secure and SameSite=Strict; Chromium counts 127.0.0.1 as a
    # secure origin, so form tests against the http test servers keep it.
    page.goto(f"{site}/ok")

    assert [c["name"] for c in page.context.cookies()] == ["probe"]


def test_pages_reach_both_running_apis(
    live_system: LiveSystem, citizen_page: Page, staff_page: Page
) -> None:
    for page, url in (
        (citizen_page, live_system.intake_url),
        (staff_page, live_system.workflow_url),
    ):
        response = page.goto("/healthz")
        assert response is not None
        assert response.status == 200
        assert page.url == f"{url}/healthz"
    assert citizen_page.context is not staff_page.context
