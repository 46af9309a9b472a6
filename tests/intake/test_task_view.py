"""What operators see of a task in Flower and in the workers' logs: ids and codes, never the
complainant's name, contacts or words, which travel only in the message body."""

from __future__ import annotations

import ast
import base64
import json

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from shared.messaging.contracts import NOTIFY_TASK, ComplaintFiledV1
from shared.messaging.sealing import unseal
from tests.intake.conftest import CITIZEN_EMAIL, file, queued
from tools.harness.processes import wait_for


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
    for shown_text in (headers["kwargsrepr"], headers["argsrepr"]):
        for private in (CITIZEN_EMAIL, "Budi Santoso", "+62", "Izin usaha"):
            assert private not in shown_text
    # Who it is for travels sealed in the message itself: only a service holding the key reads
    # it (Redis, Flower's arguments view and a dead letter hold a token).
    for private in (CITIZEN_EMAIL, "Budi Santoso", "+62"):
        assert private not in body
    [[], kwargs, _] = json.loads(body)
    assert unseal(kwargs["message"]["recipient"])["email"] == CITIZEN_EMAIL
    assert "Izin usaha" in body  # the subject, which the email quotes, is not sealed


def test_the_complaint_handed_to_step_one_carries_its_reporter_sealed(
    client: TestClient, configured: dict[str, str]
) -> None:
    broker = configured["PENGADUAN_REDIS_URL"]
    filed = file(client)
    wait_for(lambda: queued(broker, "admin"), 15, "the complaint on the Admin's queue")
    [to_admin] = queued(broker, "admin")
    body = base64.b64decode(to_admin["body"]).decode()
    assert filed["tracking_code"] in body
    for private in (CITIZEN_EMAIL, "Budi Santoso", "+62"):
        assert private not in body
        assert private not in to_admin["headers"]["kwargsrepr"]
    [[], kwargs, _] = json.loads(body)
    reporter = ComplaintFiledV1.model_validate(kwargs["message"]).reporter
    assert (reporter.name, reporter.email) == ("Budi Santoso", CITIZEN_EMAIL)


def test_a_sealed_reporter_altered_on_the_way_fails_validation(
    client: TestClient, configured: dict[str, str]
) -> None:
    broker = configured["PENGADUAN_REDIS_URL"]
    file(client)
    wait_for(lambda: queued(broker, "admin"), 15, "the complaint on the Admin's queue")
    [to_admin] = queued(broker, "admin")
    [[], kwargs, _] = json.loads(base64.b64decode(to_admin["body"]))
    token = kwargs["message"]["reporter"]
    forged = {**kwargs["message"], "reporter": token[:-8] + ("A" * 8)}
    with pytest.raises(ValidationError, match="does not open"):
        ComplaintFiledV1.model_validate(forged)
