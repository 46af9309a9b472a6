"""Journeys run every real part: both APIs (uvicorn), the three Celery workers, Redis and SMTP,
on the configured backend; a module marked ``both_databases`` runs on SQLite and PostgreSQL both
(tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.harness.desk import Desk
from tools.harness.processes import ApiProcess, ServiceProcess, start_worker
from tools.harness.smtp import SmtpServer


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # `pytest -m "not journey"` runs the fast suite without starting any process.
    for item in items:
        if "tests/journeys/" in item.nodeid:
            item.add_marker(pytest.mark.journey)


@pytest.fixture
def system(service_env: dict[str, str], tmp_path: Path, smtp_server: SmtpServer) -> Iterator[Desk]:
    """The whole system, started as separate processes; stopped (and checked) afterwards."""
    logs = tmp_path / "logs"
    logs.mkdir()
    apis: list[ApiProcess] = []
    # Shared with the Desk, which replaces entries when a test restarts a worker.
    workers: dict[str, ServiceProcess] = {}
    try:
        apis.append(ApiProcess("intake", service_env, logs).start())
        apis.append(ApiProcess("workflow", service_env, logs).start())
        for name in ("intake", "workflow", "notifier"):
            workers[name] = start_worker(name, service_env, logs)
        desk = Desk(apis[0], apis[1], workers, service_env, logs, smtp_server)
        yield desk
        desk.close()
    finally:
        for process in [*apis, *workers.values()]:
            process.stop()
