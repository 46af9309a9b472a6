"""Web Push of inbox messages, against a real local push service that checks the VAPID
signature and decrypts each push with the browser's keys."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.intake.app_channel import push_delivery
from services.intake.app_channel.push_delivery import (
    BODY_PREVIEW_CHARS,
    TransientPushError,
    send_push,
)
from services.intake.database import get_db
from services.intake.models import PushDelivery, PushSubscription
from services.intake.tasks import push
from shared.database.shared_tables import OutboxMessage
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import INTAKE_PUSH_TASK, PushDeliveryV1
from shared.runtime.settings import get_settings
from tests.intake.conftest import deliver, file, headers, inbox_message
from tests.support.webpush_receiver import Browser, WebPushReceiver
from tools.harness.redis_server import free_port

pytestmark = pytest.mark.usefixtures("local_push")


def subscribed(client: TestClient, filed: dict[str, Any], browser: Browser) -> None:
    response = client.post(
        f"/api/v1/complaints/{filed['tracking_code']}/push-subscriptions",
        json=browser.subscription(),
        headers=headers(filed),
    )
    assert response.status_code == 201, response.text


def queued_pushes() -> list[PushDeliveryV1]:
    with get_db().sessions() as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.task_name == INTAKE_PUSH_TASK)
            .order_by(OutboxMessage.created_at)
        )
        return [PushDeliveryV1.model_validate(row.payload) for row in rows]


def run(msg: PushDeliveryV1) -> str:
    return consume_once(get_db(), INTAKE_PUSH_TASK, msg, send_push)


def deliveries() -> list[PushDelivery]:
    with get_db().sessions() as session:
        return list(session.scalars(select(PushDelivery).order_by(PushDelivery.id)))


def subscriptions() -> list[str]:
    with get_db().sessions() as session:
        return list(session.scalars(select(PushSubscription.endpoint)))


@pytest.fixture
def filed(client: TestClient) -> dict[str, Any]:
    return file(client)


def test_the_browser_decrypts_one_signed_push_with_the_message(
    client: TestClient, filed: dict[str, Any], receiver: WebPushReceiver
) -> None:
    browser = receiver.browser()
    subscribed(client, filed, browser)
    msg = inbox_message(filed["tracking_code"])
    deliver(msg)
    [push_msg] = queued_pushes()

    assert run(push_msg) == "applied"
    assert run(push_msg) == "duplicate"
    with get_db().transaction() as session:  # a replay past the processed record: still once
        send_push(session, push_msg)

    assert receiver.refused == []
    [received] = receiver.pushes_to(browser)
    code = filed["tracking_code"]
    assert received.payload == {
        "title": msg.title,
        "body": msg.body,
        "tracking_code": code,
        "url": get_settings().web.tracking_url(code),
    }
    assert received.vapid_claims["sub"] == get_settings().webpush.subject
    assert received.ttl > 0
    [delivery] = deliveries()
    assert (delivery.status, delivery.attempts, delivery.detail) == ("sent", 1, None)
    assert delivery.sent_at is not None


def test_a_long_message_is_pushed_as_a_preview(
    client: TestClient, filed: dict[str, Any], receiver: WebPushReceiver
) -> None:
    browser = receiver.browser()
    subscribed(client, filed, browser)
    deliver(inbox_message(filed["tracking_code"], body="Jawaban yang panjang. " * 100))

    run(queued_pushes()[0])

    body = receiver.pushes_to(browser)[0].payload["body"]
    assert len(body) <= BODY_PREVIEW_CHARS
    assert body.endswith("…")


def test_a_subscription_the_push_service_reports_gone_is_deleted(
    client: TestClient, filed: dict[str, Any], receiver: WebPushReceiver
) -> None:
    gone, kept = receiver.browser(), receiver.browser()
    subscribed(client, filed, gone)
    subscribed(client, filed, kept)
    deliver(inbox_message(filed["tracking_code"]))
    first, second = queued_pushes()

    receiver.answer_next(410)
    run(first)
    run(second)

    assert receiver.answered == [410, 201]
    assert subscriptions() == [kept.endpoint]
    assert [(d.status, d.attempts) for d in deliveries()] == [("failed", 1), ("sent", 1)]
    assert "410" in (deliveries()[0].detail or "")

    deliver(inbox_message(filed["tracking_code"], title="Berikutnya"))
    assert len(queued_pushes()) == 3  # the next message goes to the one browser left


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_busy_push_service_is_tried_again(
    client: TestClient, filed: dict[str, Any], receiver: WebPushReceiver, status: int
) -> None:
    push_delivery._http.cache_clear()
    browser = receiver.browser()
    subscribed(client, filed, browser)
    deliver(inbox_message(filed["tracking_code"]))
    [push_msg] = queued_pushes()

    receiver.answer_next(status)
    with pytest.raises(TransientPushError) as failure:
        run(push_msg)
    # What the worker does with a try that failed and will be retried (its transaction rolled
    # back): the task's own hook records it.
    push.on_retry(failure.value, "task-id", (), {"message": push_msg.model_dump(mode="json")}, None)
    [retrying] = deliveries()
    assert (retrying.status, retrying.attempts) == ("retrying", 1)

    assert run(push_msg) == "applied"
    assert len(receiver.pushes_to(browser)) == 1
    [delivery] = deliveries()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert push_delivery._http.cache_info().misses == 1  # both tries through one session


def test_an_unreachable_push_service_is_tried_again(
    client: TestClient, filed: dict[str, Any]
) -> None:
    subscribed(client, filed, Browser(f"http://127.0.0.1:{free_port()}/push/nobody-listens"))
    deliver(inbox_message(filed["tracking_code"]))

    with pytest.raises(TransientPushError):
        run(queued_pushes()[0])
    assert deliveries() == []  # rolled back; the retry hook counts the try


def test_a_push_refused_for_good_is_recorded_failed_and_not_retried(
    client: TestClient, filed: dict[str, Any], receiver: WebPushReceiver
) -> None:
    subscribed(client, filed, receiver.browser())
    deliver(inbox_message(filed["tracking_code"]))

    receiver.answer_next(413)
    assert run(queued_pushes()[0]) == "applied"

    [delivery] = deliveries()
    assert delivery.status == "failed"
    assert "413" in (delivery.detail or "")
    assert len(subscriptions()) == 1


def test_given_up_retries_are_recorded_failed(
    client: TestClient, filed: dict[str, Any], receiver: WebPushReceiver
) -> None:
    subscribed(client, filed, receiver.browser())
    deliver(inbox_message(filed["tracking_code"]))
    [push_msg] = queued_pushes()

    push.give_up(
        push_msg.model_dump(mode="json"), TransientPushError("push service answered HTTP 503")
    )

    [delivery] = deliveries()
    assert delivery.status == "failed"
    assert "503" in (delivery.detail or "")


def test_with_push_switched_off_a_delivery_fails_with_its_reason(
    client: TestClient,
    filed: dict[str, Any],
    receiver: WebPushReceiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    subscribed(client, filed, receiver.browser())
    deliver(inbox_message(filed["tracking_code"]))
    monkeypatch.delenv("PENGADUAN_WEBPUSH_VAPID_PRIVATE_KEY")
    get_settings.cache_clear()

    assert run(queued_pushes()[0]) == "applied"

    [delivery] = deliveries()
    assert delivery.status == "failed"
    assert "not configured" in (delivery.detail or "")
    assert receiver.answered == []


def test_an_endpoint_refused_since_it_subscribed_is_not_pushed_to(
    client: TestClient,
    filed: dict[str, Any],
    receiver: WebPushReceiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    subscribed(client, filed, receiver.browser())
    deliver(inbox_message(filed["tracking_code"]))
    monkeypatch.setenv("PENGADUAN_WEBPUSH_ALLOW_PRIVATE_ENDPOINTS", "false")
    get_settings.cache_clear()

    run(queued_pushes()[0])

    [delivery] = deliveries()
    assert delivery.status == "failed"
    assert "endpoint refused" in (delivery.detail or "")
    assert receiver.answered == []
