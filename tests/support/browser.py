"""Headless Chromium for end-to-end tests of the web pages: Debian's ``chromium`` driven by
Playwright, axe-core for accessibility, and screenshots at the two window sizes the pages are
designed for.

Playwright never downloads a browser here (``playwright install`` is not used): it launches the
``chromium`` that Debian's package installs (``apt-get install chromium``). axe-core comes
inside the ``axe-playwright-python`` wheel (its ``axe.min.js``), so nothing is fetched while
the tests run.

In a test (fixtures from tests/browser/conftest.py)::

    def test_tracking_page(citizen_page: Page) -> None:
        citizen_page.goto("/lacak")
        check_accessibility(citizen_page)
        screenshot(citizen_page, "lacak", "phone")
"""

from __future__ import annotations

import re
import shutil
import struct
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    sync_playwright,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = PROJECT_ROOT / "docs" / "screenshots"

CHROMIUM_PACKAGE = "chromium"  # Debian's package, and the command it installs


class Size(NamedTuple):
    width: int
    height: int


# The window sizes every page is looked at in: a small phone and an office desktop.
WINDOW_SIZES: dict[str, Size] = {"phone": Size(360, 780), "desktop": Size(1280, 800)}
DEFAULT_SIZE = "desktop"

# Violations of these impacts fail a test; "moderate" and "minor" ones are only returned.
FAILING_IMPACTS = ("serious", "critical")

_AXE_SCRIPT = Axe().axe_script


def chromium_executable() -> str | None:
    """The path of Debian's chromium, or None when the package is not installed."""
    return shutil.which(CHROMIUM_PACKAGE)


@contextmanager
def launched_chromium() -> Iterator[Browser]:
    """Headless Chromium for a whole test session; skips the test (loudly, naming the Debian
    package) on a machine without it."""
    executable = chromium_executable()
    if executable is None:
        pytest.skip(
            f"browser tests need Debian's {CHROMIUM_PACKAGE!r} package: "
            f"apt-get install -y {CHROMIUM_PACKAGE} (no '{CHROMIUM_PACKAGE}' on PATH)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            # Chromium's own sandbox cannot start as root in a container (tests and CI run as
            # root): Playwright then passes --no-sandbox, as it does by default. It also passes
            # --disable-dev-shm-usage, so a container's small /dev/shm does not crash tabs.
            chromium_sandbox=False,
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def browser_context(
    browser: Browser,
    base_url: str | None = None,
    size: str = DEFAULT_SIZE,
    *,
    javascript: bool = True,
) -> Iterator[BrowserContext]:
    """A fresh context (no cookies, no storage) as a person in Madiun would have it: Indonesian
    locale, WIB clock, one device pixel per CSS pixel (so screenshots are the window's size).
    With ``base_url``, ``page.goto("/lacak")`` is relative to it; ``javascript=False`` is a
    browser with scripts off."""
    context = browser.new_context(
        base_url=base_url,
        viewport=_size(size)._asdict(),  # type: ignore[arg-type]
        device_scale_factor=1,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        # The pages' content security policy stays in force: a page that breaks it fails.
        bypass_csp=False,
        java_script_enabled=javascript,
    )
    try:
        yield context
    finally:
        context.close()


def assert_fits_width(page: Page) -> None:
    """Nothing on the page is wider than the window: no sideways scrolling on a phone."""
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide in a {widths[1]} px window"


# What went wrong in each watched page since it was last checked: console errors, uncaught
# exceptions, failed loads of the page's parts.
_PROBLEMS: weakref.WeakKeyDictionary[Page, list[str]] = weakref.WeakKeyDictionary()

# Chromium says this on the console for every load answered >= 400, the page's own document
# included (a 404 page is a page); the failed part itself is reported from its response.
_LOAD_FAILED = "Failed to load resource"


def watch(page: Page) -> Page:
    """Note everything that goes wrong in ``page`` from now on, for ``assert_no_page_errors``:
    an error on the console, an uncaught exception, a part of the page (style sheet, script,
    image, live-update stream) answered with 400 or more or not loaded at all. A page's own
    document may be an error page (a 404 is a page to look at); a load the browser cancels
    itself (leaving the page) is not a failure."""
    problems = _PROBLEMS.setdefault(page, [])

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith(_LOAD_FAILED):
            problems.append(f"console error: {message.text} ({message.location.get('url')})")

    def on_response(response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{response.status} for {response.request.method} {response.url}")

    def on_failed(request: Request) -> None:
        failure = request.failure or ""
        if "ERR_ABORTED" not in failure:
            problems.append(f"{request.method} {request.url} failed: {failure}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    return page


def assert_no_page_errors(page: Page) -> None:
    """Fail listing what went wrong in the page (see ``watch``) since the last check; the
    list starts empty again afterwards."""
    if page not in _PROBLEMS:
        raise AssertionError("assert_no_page_errors needs a page given to watch() first")
    problems = _PROBLEMS[page]
    seen, problems[:] = list(problems), []
    assert not seen, f"{page.url}: " + "; ".join(seen)


def assert_no_sideways_scroll_boxes(page: Page) -> None:
    """No box in the page hides part of its content behind a sideways scroll (a table cut off
    at the window's edge with no hint that more is there)."""
    hidden = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
            .filter(e => e.scrollWidth > e.clientWidth + 1)
            .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}`
                      + `${e.className ? '.' + String(e.className).split(' ').join('.') : ''}`
                      + ` (${e.scrollWidth} px in ${e.clientWidth} px)`)"""
    )
    assert not hidden, f"{page.url}: scrolls sideways inside " + ", ".join(hidden)


def check_page(page: Page) -> None:
    """A page as a person sees it at the current window size: accessible, no wider than the
    window, nothing cut off in a sideways scroll box, and nothing gone wrong in it (a watched
    page)."""
    check_accessibility(page)
    assert_fits_width(page)
    assert_no_sideways_scroll_boxes(page)
    assert_no_page_errors(page)


def check_accessibility(
    page: Page, *, context: str | dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now (or on the elements ``context`` selects); fail
    the test listing every violation of impact serious or critical, each with its rule id,
    help text and the selectors of the offending elements. Returns all violations found
    (the moderate and minor ones included) for a test that wants to look further."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_AXE_SCRIPT)
    results = page.evaluate(
        """([context, options]) => axe.run(context === null ? document : context, options)""",
        [context, {"resultTypes": ["violations"]}],
    )
    violations: list[dict[str, Any]] = results["violations"]
    failing = [v for v in violations if v.get("impact") in FAILING_IMPACTS]
    if failing:
        pytest.fail(accessibility_report(page.url, failing), pytrace=False)
    return violations


def accessibility_report(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core: {len(violations)} serious or critical accessibility violation(s) on {url}"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" [{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            html = " ".join(node.get("html", "").split())
            html = html if len(html) <= 120 else html[:117] + "..."
            lines.append(f"    {_selector(node['target'])}  {html}")
            # "Fix any of the following:" (or "all") and its reasons, one line per group
            for group in (node.get("failureSummary") or "").split("\n\n"):
                parts = [line.strip() for line in group.splitlines() if line.strip()]
                if parts:
                    lines.append(f"      {parts[0]} {'; '.join(parts[1:])}")
    return "\n".join(lines)


def _selector(target: list[Any]) -> str:
    # Inside iframes or shadow roots axe gives one selector per level (nested lists for shadow DOM).
    return " >>> ".join(
        " >>> ".join(part) if isinstance(part, list) else str(part) for part in target
    )


def screenshot(
    page: Page,
    name: str,
    size: str = DEFAULT_SIZE,
    *,
    directory: Path = SCREENSHOT_DIR,
    full_page: bool = False,
) -> Path:
    """Save ``<directory>/<name>-<size>.png`` (docs/screenshots/ unless told otherwise) of the
    page in the window size ``size`` ("phone": 360x780, "desktop": 1280x800), then give the
    page its previous window size back. Without ``full_page`` the PNG is exactly the window's
    pixels; with it, the window's width and the whole page's height."""
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name):
        raise ValueError(f"screenshot name {name!r}: lower-case letters, digits and dashes only")
    wanted = _size(size)
    previous = page.viewport_size
    page.set_viewport_size(wanted._asdict())  # type: ignore[arg-type]
    try:
        # Web fonts and layout settle before the picture, so the same page gives the same PNG.
        page.evaluate("() => document.fonts.ready.then(() => undefined)")
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{name}-{size}.png"
        page.screenshot(path=path, full_page=full_page, animations="disabled", caret="hide")
    finally:
        if previous is not None:
            page.set_viewport_size(previous)
    return path


def screenshots(page: Page, name: str, *, directory: Path = SCREENSHOT_DIR) -> dict[str, Path]:
    """``screenshot`` at every window size: ``{"phone": ..., "desktop": ...}``."""
    return {size: screenshot(page, name, size, directory=directory) for size in WINDOW_SIZES}


def png_size(path: Path) -> Size:
    """Width and height from a PNG's header (the IHDR chunk right after the signature)."""
    header = path.read_bytes()[:24]
    if header[:8] != b"\x89PNG\r\n\x1a\n" or header[12:16] != b"IHDR":
        raise ValueError(f"{path} is not a PNG")
    width, height = struct.unpack(">II", header[16:24])
    return Size(width, height)


def _size(name: str) -> Size:
    if name not in WINDOW_SIZES:
        raise ValueError(f"window size {name!r}: one of {', '.join(WINDOW_SIZES)}")
    return WINDOW_SIZES[name]
