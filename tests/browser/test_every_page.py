"""Every page of the portal and the console, as the person who uses it, at a phone's size
(360x780) and a desktop's (1280x800): accessible (axe-core), no wider than the window, nothing
cut off in a sideways scroll box, no console error, no failed load. ``make screenshots`` takes
the pictures in docs/screenshots/ from here (SCREENSHOTS_DIR), both sizes of every page.

One system for the whole module, its cases put where each role's pages need them; the pages
are one table (``PAGES``), so a new page is one line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from shared.sop import Role
from tests.browser.conftest import LiveSystem, running_system
from tests.browser.every_page_table import CITIZEN, GUEST, PAGES, TRACKING_LIMIT, Shown, Who
from tests.browser.office_cases import put_cases_in_place
from tests.conftest import TEST_REDIS_DB
from tests.support.browser import WINDOW_SIZES, browser_context, check_page, screenshot, watch
from tools.harness.databases import PostgresDatabases, SqliteDatabases, fresh_set
from tools.harness.desk import STAFF_PASSWORD
from tools.harness.environment import emptied_redis_db, service_environment
from tools.harness.smtp import SmtpServer


@dataclass
class Office:
    """The running system, its cases' codes and ids by name, a signed-in page per person."""

    system: LiveSystem
    ids: dict[str, str]
    pages: dict[Who, Page]


@pytest.fixture(scope="module")
def office(
    chromium: Browser,
    redis_base_url: str,
    postgres_pool: PostgresDatabases | None,
    sqlite_pool: SqliteDatabases,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Office]:
    here = tmp_path_factory.mktemp("every-page")
    smtp = SmtpServer()
    smtp.start()
    try:
        with emptied_redis_db(f"{redis_base_url}/{TEST_REDIS_DB}") as broker:
            env = service_environment(
                here / "var",
                broker,
                fresh_set(postgres_pool or sqlite_pool),
                smtp_host="127.0.0.1",
                smtp_port=str(smtp.port),
                tracking_limit=f"{TRACKING_LIMIT}/hour",
                filing_limit="100/hour",
            )
            with running_system(env, here / "logs", smtp) as system:
                ids = put_cases_in_place(system)
                with people(chromium, system, ids) as pages:
                    yield Office(system, ids, pages)
    finally:
        smtp.stop()


@contextmanager
def people(chromium: Browser, system: LiveSystem, ids: dict[str, str]) -> Iterator[dict[Who, Page]]:
    """A browser of its own for the citizen (the answered, the asked and the attached case opened
    with their codes and tokens), for the guest, and for each role, signed in."""
    with ExitStack() as stack:
        pages: dict[Who, Page] = {}
        for who in (CITIZEN, GUEST, *Role):
            base = system.intake_url if who == CITIZEN else system.workflow_url
            context = stack.enter_context(browser_context(chromium, base, "phone"))
            pages[who] = page = watch(context.new_page())
            if isinstance(who, Role):
                page.goto("/console/masuk")
                page.fill("[name=username]", f"uji_{who.value}")
                page.fill("[name=password]", STAFF_PASSWORD)
                page.get_by_role("button", name="Masuk").click()
                expect(page).to_have_url(re.compile(r"/console$"))
        citizen = pages[CITIZEN]
        opened = ("answered", "asked", "attached", "rated", "surveyed", "reopened", "closed")
        for name in (*opened, "erasing", "erased"):
            citizen.goto("/lacak")
            citizen.fill("[name=kode]", ids[name])
            citizen.fill("[name=token]", ids[f"{name}_token"])
            citizen.get_by_role("button", name="Lihat perkembangan").click()
            expect(citizen.locator("#status")).to_be_visible()
        yield pages


@pytest.mark.parametrize("shown", PAGES, ids=[shown.name for shown in PAGES])
def test_the_page_works_at_phone_and_desktop_size(
    office: Office, shown: Shown, screenshot_dir: Path | None
) -> None:
    page = office.pages[shown.who]
    page.set_viewport_size(WINDOW_SIZES["phone"]._asdict())  # type: ignore[arg-type]
    response = page.goto(shown.path.format(**office.ids))
    assert response is not None
    if shown.then is not None:
        shown.then(page, office.ids)
    else:
        assert response.status == shown.status, f"{page.url}: {response.status}"
    # A case's news travels through the queues: the page may show it a moment later.
    expect(page.locator(shown.ready).first).to_be_visible(timeout=60_000)
    for size, dimensions in WINDOW_SIZES.items():
        page.set_viewport_size(dimensions._asdict())  # type: ignore[arg-type]
        check_page(page)
        if shown.check is not None:
            shown.check(page)
        if screenshot_dir is not None:
            if shown.shoot and size == "phone":
                page.locator(shown.shoot).first.evaluate("e => e.scrollIntoView()")
            screenshot(page, shown.name, size, directory=screenshot_dir)
            page.evaluate("() => window.scrollTo(0, 0)")
