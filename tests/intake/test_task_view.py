"""What operators see of a task in Flower and in the workers' logs: ids and codes, never the
complainant's name, contacts or words, which travel only in the message body."""

from __future__ import annotations

import ast
import base64

from fastapi.testclient import TestClient

from shared.contracts import NOTIFY_TASK
from tests.intake.conftest import CITIZEN_EMAIL, file, queued
from tests.support.processes import wait_for


def test_flower_sees_the_ids_of_a_notification_not_who_it_is_for(
    client: TestClient, configured: dict[str, str]
) -> None:
    broker = configured["PENGADUAN_REDIS_URL"]
    filed = file(client)
    wait_for(lambda: queued(broker, "notifier"), 15, "the acknowledgement on the notifier queue")
    [to_notifier] = queued(broker, "notifier")
    headers = to_notifier["headers"]
    assert headers["task"] == NOTIFY_TASK

    # Celery shows kwargsrepr (in task events, hence Flower, and in logs) instead of the kwargs.
    shown = ast.literal_eval(headers["kwargsrepr"])["message"]
    assert shown["tracking_code"] == filed["tracking_code"]
    assert shown["kind"] == "filed"
    assert "message_id" in shown
    assert set(shown) <= {"message_id", "tracking_code", "kind"}
    body = base64.b64decode(to_notifier["body"]).decode()
    for private in (CITIZEN_EMAIL, "Budi Santoso", "+62", "Izin usaha"):
        assert private in body  # the notifier needs them, in the message itself
        assert private not in headers["kwargsrepr"]
        assert private not in headers["argsrepr"]
