"""Journeys run every real part: both APIs (uvicorn), the three Celery workers, Redis and SMTP,
on the configured backend; a module marked ``both_databases`` runs on SQLite and PostgreSQL both
(tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.harness.desk import Desk
from tools.harness.environment import FAST_RECOVERY, desk_environment
from tools.harness.processes import ApiProcess, ServiceProcess, start_worker
from tools.harness.redis_server import RedisServer
from tools.harness.sms_gateway import GatewayServer
from tools.harness.smtp import SmtpServer


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # `pytest -m "not journey"` runs the fast suite without starting any process.
    for item in items:
        if "tests/journeys/" in item.nodeid:
            item.add_marker(pytest.mark.journey)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A Redis of the test's own, which it may stop and start (append-only file on: queued
    messages survive), under the data directory as make run's is; a module that takes it makes
    its ``broker_url`` from it."""
    server = RedisServer(tmp_path / "var" / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sms_gateway() -> Iterator[GatewayServer]:
    """A real local HTTP server playing the SMS gateway (its JSON format)."""
    gateway = GatewayServer("json")
    gateway.start()
    yield gateway
    gateway.stop()


def portal_environment(
    tmp_path: Path,
    broker_url: str,
    database_urls: dict[str, str],
    smtp_server: SmtpServer,
    sms_gateway: GatewayServer | None = None,
) -> dict[str, str]:
    """tests/conftest.py's ``service_env`` with cookies the test's plain http carries (the
    portal's pages opened as a browser would) and, given one, the SMS gateway: a journey's module
    that needs them makes it its ``service_env``."""
    gateway = (
        {"sms_gateway_url": sms_gateway.url, "sms_gateway_token": "rahasia-gateway-uji"}
        if sms_gateway is not None
        else {}
    )
    return desk_environment(
        tmp_path,
        broker_url,
        database_urls,
        smtp_server.port,
        secure_cookies="false",
        **FAST_RECOVERY,
        **gateway,
    )


@pytest.fixture
def sms_service_env(
    tmp_path: Path,
    broker_url: str,
    database_urls: dict[str, str],
    smtp_server: SmtpServer,
    sms_gateway: GatewayServer,
) -> dict[str, str]:
    """The journeys' environment with the SMS gateway and cookies the test's plain http carries:
    a module whose complaints are notified by SMS too makes it its ``service_env`` (its own
    ``smtp_server``, if it has one, is the one used)."""
    return portal_environment(tmp_path, broker_url, database_urls, smtp_server, sms_gateway)


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
