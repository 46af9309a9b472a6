"""``/readyz`` on both APIs: 200 when the service's database and Redis answer, 503 naming the
check that failed otherwise, and never the error's details."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.intake.api.app import create_app as create_intake_app
from services.workflow.api.app import create_app as create_workflow_app
from tests.support.state import reset_process_state
from tools.harness.redis_server import free_port

APPS: dict[str, Callable[[], FastAPI]] = {
    "intake": create_intake_app,
    "workflow": create_workflow_app,
}


def ready(service: str) -> tuple[int, dict[str, object], str]:
    # No lifespan (no `with`): the outbox relay thread would poll the broken database.
    response = TestClient(APPS[service]()).get("/readyz")
    return response.status_code, response.json(), response.text


@pytest.mark.parametrize("service", APPS)
@pytest.mark.usefixtures("configured")
def test_readyz_is_ok_when_database_and_redis_answer(service: str) -> None:
    status, body, _ = ready(service)
    assert (status, body) == (200, {"status": "ok", "checks": {"database": "ok", "redis": "ok"}})


@pytest.mark.parametrize("service", APPS)
@pytest.mark.usefixtures("configured")
def test_readyz_names_redis_when_the_broker_does_not_answer(
    service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    monkeypatch.setenv("PENGADUAN_REDIS_URL", f"redis://:s3cret@127.0.0.1:{port}/0")
    reset_process_state()
    status, body, text = ready(service)
    assert status == 503
    assert body == {"status": "unavailable", "checks": {"database": "ok", "redis": "failed"}}
    assert str(port) not in text
    assert "s3cret" not in text


@pytest.mark.parametrize("service", APPS)
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
@pytest.mark.usefixtures("configured")
def test_readyz_names_the_database_when_it_is_unreachable(
    service: str, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    url = (
        f"sqlite:///{tmp_path / 'no-such-directory' / f'{service}.db'}"
        if kind == "sqlite"
        else f"postgresql+psycopg://pengaduan:s3cret@127.0.0.1:{port}/{service}"
    )
    monkeypatch.setenv(f"PENGADUAN_{service.upper()}_DATABASE_URL", url)
    reset_process_state()
    status, body, text = ready(service)
    assert status == 503
    assert body == {"status": "unavailable", "checks": {"database": "failed", "redis": "ok"}}
    assert "no-such-directory" not in text
    assert "s3cret" not in text


@pytest.mark.parametrize("service", APPS)
@pytest.mark.usefixtures("configured")
def test_readyz_gives_up_on_a_database_that_accepts_but_never_answers(
    service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A listening socket nobody accepts from: the TCP handshake succeeds (the backlog), the
    # PostgreSQL handshake never does. Without a connect timeout /readyz would hang here.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        monkeypatch.setenv(
            f"PENGADUAN_{service.upper()}_DATABASE_URL",
            f"postgresql+psycopg://pengaduan@127.0.0.1:{port}/{service}",
        )
        reset_process_state()
        status, body, _ = ready(service)
    assert status == 503
    assert body["checks"] == {"database": "failed", "redis": "ok"}


@pytest.mark.parametrize("service", APPS)
@pytest.mark.usefixtures("configured")
def test_readyz_is_not_in_the_openapi_document(service: str) -> None:
    paths = TestClient(APPS[service]()).get("/openapi.json").json()["paths"]
    assert "/readyz" not in paths
    assert "/healthz" not in paths
