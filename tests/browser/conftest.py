"""Browser tests: headless Chromium (Debian's package, through Playwright) against the running
system. One browser per test module, a fresh context (cookies, storage) per page.

Fixtures:

- ``chromium``: the module's Browser (skips every browser test when Debian's chromium is missing)
- ``new_page(base_url=None, size="desktop")``: a page in a context of its own, closed after the
  test; call it twice for two people (a citizen and a staff member) in one test. Its console
  errors and failed loads are noted (``tests.support.browser.watch``) for ``check_page``
- ``page``: one such page, no base URL
- ``live_system``: the whole system, as in tests/journeys (both APIs, the three workers, Redis,
  SMTP): ``.desk`` (tools.harness.desk.Desk), ``.intake_url``, ``.workflow_url``
- ``api_urls``: the two APIs alone (no workers), ``{"intake": url, "workflow": url}``
- ``citizen_page`` / ``staff_page``: a page whose ``goto("/...")`` is relative to the intake
  (citizens' portal) or workflow (staff console) API of ``live_system``
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.support.browser import DEFAULT_SIZE, browser_context, launched_chromium, watch
from tools.harness.desk import Desk
from tools.harness.processes import ApiProcess, ServiceProcess, start_worker
from tools.harness.smtp import SmtpServer

NewPage = Callable[..., Page]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Every test here starts Chromium (and most the whole system): `-m "not journey"` leaves them
    # out with the journeys, `-m browser` runs them alone.
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.journey)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    # Per module, not per session: Playwright's sync API runs an event loop in the main thread
    # for as long as it lives, and the tests after the browser's (asyncio.run, TestClient) need
    # that thread without one.
    with launched_chromium() as browser:
        yield browser


@pytest.fixture
def new_page(chromium: Browser) -> Iterator[NewPage]:
    with ExitStack() as stack:

        def make(
            base_url: str | None = None, size: str = DEFAULT_SIZE, *, javascript: bool = True
        ) -> Page:
            context = stack.enter_context(
                browser_context(chromium, base_url, size, javascript=javascript)
            )
            return watch(context.new_page())

        yield make


@pytest.fixture(scope="module")
def screenshot_dir() -> Path | None:
    """Where ``make screenshots`` (SCREENSHOTS_DIR=docs/screenshots) wants the pictures the docs
    show; None in a plain test run, which leaves the committed pictures alone and takes none."""
    chosen = os.environ.get("SCREENSHOTS_DIR")
    return Path(chosen).resolve() if chosen else None


@pytest.fixture
def page(new_page: NewPage) -> Page:
    return new_page()


@dataclass(frozen=True)
class LiveSystem:
    desk: Desk
    intake_url: str  # the citizens' portal and API, e.g. http://127.0.0.1:41234
    workflow_url: str  # the staff console and API


@pytest.fixture
def live_system(
    service_env: dict[str, str], tmp_path: Path, smtp_server: SmtpServer
) -> Iterator[LiveSystem]:
    """The whole system as separate processes (like tests/journeys' ``system``), its public
    addresses set to where it really listens, so links between the portal, the console and the
    emails lead to these servers."""
    with running_system(service_env, tmp_path / "logs", smtp_server) as system:
        yield system


@contextmanager
def running_system(
    service_env: dict[str, str], logs: Path, smtp_server: SmtpServer
) -> Iterator[LiveSystem]:
    """``live_system``'s processes, for a fixture of a wider scope (tests/browser/
    test_every_page.py starts one for its whole module)."""
    logs.mkdir()
    intake = ApiProcess("intake", service_env, logs)
    workflow = ApiProcess("workflow", service_env, logs)
    env = {
        **service_env,
        "PENGADUAN_PUBLIC_INTAKE_URL": intake.url,
        "PENGADUAN_PUBLIC_WORKFLOW_URL": workflow.url,
    }
    intake.env = workflow.env = env
    apis = [intake, workflow]
    workers: dict[str, ServiceProcess] = {}
    try:
        for api in apis:
            api.start()
        for name in ("intake", "workflow", "notifier"):
            workers[name] = start_worker(name, env, logs)
        desk = Desk(intake, workflow, workers, env, logs, smtp_server)
        yield LiveSystem(desk, intake.url, workflow.url)
        desk.close()
    finally:
        for process in [*apis, *workers.values()]:
            process.stop()


@pytest.fixture
def api_urls(service_env: dict[str, str], tmp_path: Path) -> Iterator[dict[str, str]]:
    """The two APIs alone, no workers: their addresses by service, for pages that need no case
    to travel (the API docs, the error pages)."""
    apis = {name: ApiProcess(name, service_env, tmp_path) for name in ("intake", "workflow")}
    try:
        for api in apis.values():
            api.start()
        yield {name: api.url for name, api in apis.items()}
    finally:
        for api in apis.values():
            api.stop()


@pytest.fixture
def citizen_page(live_system: LiveSystem, new_page: NewPage) -> Page:
    return new_page(live_system.intake_url)


@pytest.fixture
def staff_page(live_system: LiveSystem, new_page: NewPage) -> Page:
    return new_page(live_system.workflow_url)
