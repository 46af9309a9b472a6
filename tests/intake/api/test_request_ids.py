"""Request ids: each answer names the id its log lines carry, a caller's own UUID is kept and
anything else replaced, and the id leaves with the messages the request causes."""

from __future__ import annotations

import json
import logging
import uuid

import pytest
from fastapi.testclient import TestClient

from shared.runtime.log_context import log_scope
from shared.runtime.log_setup import configure_logging
from tests.intake.conftest import complaint_body, outbox_rows, queued
from tools.harness.processes import wait_for


def test_an_answer_carries_a_fresh_request_id(client: TestClient) -> None:
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert uuid.UUID(first)
    assert first != second


def test_a_callers_uuid_is_kept(client: TestClient) -> None:
    mine = str(uuid.uuid4())
    assert client.get("/healthz", headers={"X-Request-ID": mine}).headers["X-Request-ID"] == mine


@pytest.mark.parametrize(
    "forged",
    ['x" {"level": "INFO", "message": "forged"}', "a" * 5000, "../../etc/passwd", "1234"],
)
def test_a_request_id_that_is_not_a_uuid_is_replaced(client: TestClient, forged: str) -> None:
    given = client.get("/healthz", headers={"X-Request-ID": forged}).headers["X-Request-ID"]
    assert given != forged
    assert uuid.UUID(given)


def test_the_request_id_leaves_with_the_messages_of_a_filing(
    client: TestClient, configured: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    request_id = uuid.uuid4().hex
    response = client.post(
        "/api/v1/complaints", json=complaint_body(), headers={"X-Request-ID": request_id}
    )
    assert response.status_code == 202, response.text
    code = response.json()["tracking_code"]

    assert {row.request_id for row in outbox_rows()} == {request_id}
    broker = configured["PENGADUAN_REDIS_URL"]
    wait_for(lambda: queued(broker, "admin") and queued(broker, "notifier"), 15, "both queues")
    for queue in ("admin", "notifier"):
        [task] = queued(broker, queue)
        assert task["headers"]["request_id"] == request_id

    # The API's own line about the filing, as the log collector reads it.
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line[:1] == "{"]
    filed = [line for line in lines if line.get("request_id") == request_id]
    assert any(line.get("tracking_code") == code for line in filed), lines
    assert {line["service"] for line in filed} == {"intake-api"}


def test_text_logs_show_the_ids_beside_the_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PENGADUAN_LOG_FORMAT", "text")
    from shared.runtime.settings import get_settings  # noqa: PLC0415 - after the variable is set

    get_settings.cache_clear()
    try:
        configure_logging("intake-worker")
        with log_scope(request_id="abc123", tracking_code="PGD-TEST"):
            logging.getLogger("services.intake.test").warning("di dalam")
        logging.getLogger("services.intake.test").warning("di luar")
    finally:
        monkeypatch.delenv("PENGADUAN_LOG_FORMAT")
        get_settings.cache_clear()
        configure_logging("tests")
    inside, outside = capsys.readouterr().err.splitlines()[-2:]
    assert inside.endswith(
        "services.intake.test [request_id=abc123 tracking_code=PGD-TEST]: di dalam"
    )
    assert outside.endswith("services.intake.test: di luar")
