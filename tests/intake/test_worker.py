"""Intake as it runs: a real Celery worker on the ``intake`` queue, fed over real Redis."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shared.messaging.celery_app import get_celery
from shared.messaging.contracts import INTAKE_STATUS_TASK, CaseStatusChangedV1
from tests.intake.conftest import file, track
from tools.harness.processes import start_worker, wait_for

pytestmark = pytest.mark.journey


def test_the_worker_applies_status_changes_from_the_intake_queue_once(
    client: TestClient, configured: dict[str, str], tmp_path: Path
) -> None:
    filed = file(client)
    worker = start_worker("intake", configured, tmp_path)
    try:
        msg = CaseStatusChangedV1(
            tracking_code=filed["tracking_code"], status="received", sequence=2
        )
        for _ in range(2):  # a redelivery
            get_celery().send_task(
                INTAKE_STATUS_TASK, kwargs={"message": msg.model_dump(mode="json")}
            )

        worker.wait_for_output("already applied", timeout=60)
        body = track(client, filed["tracking_code"], filed["access_token"])
        assert body["status"] == "received"
        assert [e["status"] for e in body["timeline"]] == ["submitted", "received"]
    finally:
        worker.stop()
    assert "Traceback" not in worker.output()


def test_the_worker_drops_a_malformed_message_and_goes_on(
    client: TestClient, configured: dict[str, str], tmp_path: Path
) -> None:
    filed = file(client)
    worker = start_worker("intake", configured, tmp_path)
    try:
        get_celery().send_task(INTAKE_STATUS_TASK, kwargs={"message": {"status": "received"}})
        msg = CaseStatusChangedV1(
            tracking_code=filed["tracking_code"], status="received", sequence=2
        )
        get_celery().send_task(INTAKE_STATUS_TASK, kwargs={"message": msg.model_dump(mode="json")})

        wait_for(
            lambda: (
                track(client, filed["tracking_code"], filed["access_token"])["status"] == "received"
            ),
            60,
            "the valid message after the malformed one",
        )
    finally:
        worker.stop()
    assert "invalid CaseStatusChangedV1 payload" in worker.output()
