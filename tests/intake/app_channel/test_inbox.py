"""The app channel's inbox: each InboxMessageV1 kept once for its complaint, a push queued per
subscribed browser (ids only), the complainant reading it with the access token, and a live
note on Redis only once the transaction committed."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from services.intake.app_channel.inbox import deliver_to_inbox
from services.intake.app_channel.live_events import channel
from services.intake.database import get_db
from services.intake.filing.complaints import apply_status_change
from services.intake.models import InboxMessage
from shared.database.shared_tables import OutboxMessage
from shared.messaging.contracts import INTAKE_PUSH_TASK, CaseStatusChangedV1
from tests.intake.conftest import deliver, file, headers, inbox_message, set_settings
from tests.support.webpush_receiver import WebPushReceiver
from tools.harness.processes import wait_for
from tools.harness.redis_server import free_port


def inbox_rows() -> list[InboxMessage]:
    with get_db().sessions() as session:
        return list(session.scalars(select(InboxMessage).order_by(InboxMessage.id)))


def push_rows() -> list[OutboxMessage]:
    with get_db().sessions() as session:
        return list(
            session.scalars(
                select(OutboxMessage).where(OutboxMessage.task_name == INTAKE_PUSH_TASK)
            )
        )


def test_a_message_redelivered_is_kept_once(client: TestClient) -> None:
    filed = file(client)
    msg = inbox_message(filed["tracking_code"])

    assert deliver(msg) == "applied"
    assert deliver(msg) == "duplicate"
    for _ in range(2):  # a replay past the processed-messages record adds nothing either
        with get_db().transaction() as session:
            deliver_to_inbox(session, msg)

    [row] = inbox_rows()
    assert (row.message_id, row.kind, row.title, row.body) == (
        str(msg.message_id),
        "answer",
        msg.title,
        msg.body,
    )
    assert row.notification_id == str(msg.notification_id)


def test_a_message_for_an_unknown_tracking_code_is_dropped(client: TestClient) -> None:
    file(client)
    assert deliver(inbox_message("PGD-0000-0000")) == "applied"
    assert inbox_rows() == []


def test_the_complainant_reads_the_inbox_oldest_first_with_the_access_token(
    client: TestClient,
) -> None:
    filed = file(client)
    other = file(client)
    code = filed["tracking_code"]
    deliver(inbox_message(code, "filed", title="Laporan pengaduan diterima", body="Terima kasih"))
    deliver(inbox_message(code))
    deliver(inbox_message(other["tracking_code"]))

    response = client.get(f"/api/v1/complaints/{code}/messages", headers=headers(filed))

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json()
    assert [m["kind"] for m in body] == ["filed", "answer"]
    assert body[0]["title"] == "Laporan pengaduan diterima"
    assert body[0]["id"] < body[1]["id"]
    assert set(body[1]) == {"id", "kind", "title", "body", "created_at"}


def test_the_inbox_needs_the_access_token_of_that_very_complaint(client: TestClient) -> None:
    filed = file(client)
    other = file(client)
    url = f"/api/v1/complaints/{filed['tracking_code']}/messages"

    missing = client.get(url)
    wrong = client.get(url, headers=headers(other))
    unknown = client.get("/api/v1/complaints/PGD-0000-0000/messages", headers=headers(filed))

    assert missing.status_code == 401
    assert "X-Access-Token" in missing.json()["message"]
    assert (wrong.status_code, unknown.status_code) == (404, 404)
    assert wrong.json() == unknown.json()
    assert "tidak ditemukan" in wrong.json()["message"]


def test_one_push_is_queued_per_subscribed_browser_with_ids_only(
    client: TestClient, local_push: dict[str, str], receiver: WebPushReceiver
) -> None:
    filed = file(client)
    url = f"/api/v1/complaints/{filed['tracking_code']}/push-subscriptions"
    for _ in range(2):
        response = client.post(url, json=receiver.browser().subscription(), headers=headers(filed))
        assert response.status_code == 201, response.text
    msg = inbox_message(filed["tracking_code"])

    deliver(msg)
    with get_db().transaction() as session:  # a replay queues none anew
        deliver_to_inbox(session, msg)

    rows = push_rows()
    assert len(rows) == 2
    [inbox_id] = [m.id for m in inbox_rows()]
    for row in rows:
        assert set(row.payload) == {
            "message_id",
            "occurred_at",
            "version",
            "inbox_message_id",
            "subscription_id",
        }
        assert row.payload["inbox_message_id"] == inbox_id
    assert len({row.payload["subscription_id"] for row in rows}) == 2


def test_no_push_is_queued_without_a_subscription(client: TestClient) -> None:
    filed = file(client)
    deliver(inbox_message(filed["tracking_code"]))
    assert push_rows() == []


@pytest.fixture
def listener(broker_url: str) -> Iterator[redis.client.PubSub]:
    client = redis.Redis.from_url(broker_url)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    yield pubsub
    pubsub.close()
    client.close()


def next_note(pubsub: redis.client.PubSub) -> dict[str, object]:
    """The next note published (the subscribe confirmation is skipped on the way)."""
    message = wait_for(lambda: pubsub.get_message(timeout=1), 10, "a live note")
    return json.loads(message["data"])  # type: ignore[index,no-any-return]


def test_a_live_note_follows_the_commit_and_a_rollback_sends_none(
    client: TestClient, listener: redis.client.PubSub
) -> None:
    filed = file(client)
    code = filed["tracking_code"]
    listener.subscribe(channel(code))

    with pytest.raises(RuntimeError), get_db().transaction() as session:
        deliver_to_inbox(session, inbox_message(code, title="Digulung kembali"))
        raise RuntimeError("rolled back")
    deliver(inbox_message(code))

    [kept] = inbox_rows()
    # The first note on the channel is the committed message's: the rolled-back one sent none.
    assert next_note(listener) == {"kind": "message", "id": kept.id}


def test_a_status_change_sends_a_status_note(
    client: TestClient, listener: redis.client.PubSub
) -> None:
    filed = file(client)
    code = filed["tracking_code"]
    listener.subscribe(channel(code))

    with get_db().transaction() as session:
        apply_status_change(
            session, CaseStatusChangedV1(tracking_code=code, status="received", sequence=2)
        )

    assert next_note(listener) == {"kind": "status", "id": None}


def test_a_redis_that_is_down_costs_the_live_note_only(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    filed = file(client)
    set_settings(monkeypatch, redis_url=f"redis://127.0.0.1:{free_port()}/0")

    assert deliver(inbox_message(filed["tracking_code"])) == "applied"
    with get_db().sessions() as session:
        assert session.scalar(select(func.count()).select_from(InboxMessage)) == 1
