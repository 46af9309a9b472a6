"""The complainant's live stream (Server-Sent Events), in-process over a real Redis: the backlog
after Last-Event-ID and the status on connect, then live messages and status changes; the
backlog alone (and an end the browser reconnects from) while Redis is down; at most five
streams per complaint."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient

from services.intake.app_channel import live_events
from services.intake.app_channel.event_stream import MAX_STREAMS_PER_COMPLAINT
from services.intake.database import get_db
from services.intake.filing.complaints import apply_status_change
from shared.messaging.contracts import CaseStatusChangedV1
from shared.runtime.settings import get_settings
from shared.sop import STATUS_LABELS
from tests.intake.conftest import deliver, file, headers, inbox_message, set_settings
from tests.support.sse import Event, events
from tools.harness.redis_server import free_port


def events_url(filed: dict[str, str]) -> str:
    return f"/api/v1/complaints/{filed['tracking_code']}/events"


def read_until_status(stream: Iterator[Event]) -> list[Event]:
    """The events up to and including the next status event."""
    seen = []
    for event in stream:
        seen.append(event)
        if event.event == "status":
            return seen
    raise AssertionError(f"the stream ended before a status event: {seen}")


def test_the_stream_starts_with_the_messages_after_last_event_id_then_the_status(
    client: TestClient,
) -> None:
    filed = file(client)
    for n in range(3):
        deliver(inbox_message(filed["tracking_code"], title=f"Pesan {n}"))
    first_id = client.get(
        f"/api/v1/complaints/{filed['tracking_code']}/messages", headers=headers(filed)
    ).json()[0]["id"]

    with client.stream(
        "GET", events_url(filed), headers={**headers(filed), "Last-Event-ID": str(first_id)}
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-store"
        received = read_until_status(events(response.iter_lines()))

    messages, status = received[:-1], received[-1]
    assert [e.json()["title"] for e in messages] == ["Pesan 1", "Pesan 2"]
    assert [e.id for e in messages] == [str(e.json()["id"]) for e in messages]
    assert all(e.event == "message" for e in messages)
    assert status.json() == {"status": "submitted", "status_label": STATUS_LABELS["submitted"]}
    assert status.id is None  # the browser's Last-Event-ID keeps naming the last message


def test_without_last_event_id_the_whole_inbox_comes_first(client: TestClient) -> None:
    filed = file(client)
    deliver(inbox_message(filed["tracking_code"], "filed", title="Diterima"))

    with client.stream("GET", events_url(filed), headers=headers(filed)) as response:
        received = read_until_status(events(response.iter_lines()))

    assert [(e.event, e.json().get("title")) for e in received[:-1]] == [("message", "Diterima")]


def test_messages_and_status_changes_arrive_live_once(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real_from_url = redis.Redis.from_url

    def counted(url: str, **options: Any) -> redis.Redis:
        made.append(url)
        return real_from_url(url, **options)

    live_events._publisher.cache_clear()
    monkeypatch.setattr(live_events.redis.Redis, "from_url", counted)
    filed = file(client)
    code = filed["tracking_code"]
    with client.stream("GET", events_url(filed), headers=headers(filed)) as response:
        stream = events(response.iter_lines())
        read_until_status(stream)  # subscribed: the backlog is read after the subscription

        msg = inbox_message(code)
        deliver(msg)
        deliver(msg)  # redelivered: no second event
        with get_db().transaction() as session:
            apply_status_change(
                session, CaseStatusChangedV1(tracking_code=code, status="received", sequence=2)
            )
        live = read_until_status(stream)

    assert [e.event for e in live] == ["message", "status"]
    assert live[0].json()["body"] == msg.body
    assert live[0].json()["kind"] == "answer"
    assert live[1].json() == {"status": "received", "status_label": STATUS_LABELS["received"]}
    assert made == [get_settings().broker.url]  # both notes through one client, not one each


def test_a_note_of_a_savepoint_waits_for_the_outer_commit(
    client: TestClient, configured: dict[str, str]
) -> None:
    # A batch consumer applies each item in a savepoint, and SQLAlchemy fires after_commit at a
    # savepoint's release too: a note sent then reached the stream before its change could be
    # read, and was gone by the real commit (the app channel's journey lost the answer).
    code = file(client)["tracking_code"]
    subscriber = redis.Redis.from_url(configured["PENGADUAN_REDIS_URL"]).pubsub()
    subscriber.subscribe(live_events.channel(code))
    try:
        assert subscriber.get_message(timeout=5)["type"] == "subscribe"  # type: ignore[index]
        with get_db().transaction() as session:
            with session.begin_nested():
                apply_status_change(
                    session, CaseStatusChangedV1(tracking_code=code, status="received", sequence=2)
                )
            with contextlib.suppress(ValueError), session.begin_nested():
                raise ValueError("a refused item's savepoint keeps the others' notes")
            # Nothing published yet: a marker sent now is the first thing on the channel.
            live_events.publish([(code, live_events.Note("notice"))])
            [first] = received(subscriber, 1)
            assert first == "notice"
        assert received(subscriber, 1) == ["status"]  # at the commit, once
    finally:
        subscriber.close()


def received(subscriber: Any, count: int) -> list[str]:
    """The kinds of the next ``count`` notes on the subscribed channel."""
    kinds: list[str] = []
    while len(kinds) < count:
        message = subscriber.get_message(timeout=10)
        assert message is not None, f"no note after {kinds}"
        if message["type"] == "message":
            kinds.append(json.loads(message["data"])["kind"])
    return kinds


def test_the_stream_needs_the_access_token_of_that_very_complaint(client: TestClient) -> None:
    filed = file(client)
    other = file(client)

    missing = client.get(events_url(filed))
    wrong = client.get(events_url(filed), headers=headers(other))

    assert missing.status_code == 401
    assert wrong.status_code == 404
    assert "tidak ditemukan" in wrong.json()["message"]


def test_while_redis_is_down_the_stream_serves_the_backlog_and_ends_for_a_reconnect(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    filed = file(client)
    deliver(inbox_message(filed["tracking_code"]))
    set_settings(monkeypatch, redis_url=f"redis://127.0.0.1:{free_port()}/0")

    with client.stream("GET", events_url(filed), headers=headers(filed)) as response:
        assert response.status_code == 200
        raw = list(response.iter_lines())  # the stream ends by itself

    assert "retry: 3000" in raw  # the browser reconnects in 3 s, with its Last-Event-ID
    assert [e.event for e in events(raw)] == ["message", "status"]


def test_a_sixth_stream_of_one_complaint_is_refused_until_one_closes(client: TestClient) -> None:
    filed = file(client)
    with ExitStack() as streams:
        first = streams.enter_context(
            client.stream("GET", events_url(filed), headers=headers(filed))
        )
        for _ in range(MAX_STREAMS_PER_COMPLAINT - 1):
            streams.enter_context(client.stream("GET", events_url(filed), headers=headers(filed)))

        refused = client.get(events_url(filed), headers=headers(filed))
        assert refused.status_code == 429
        assert refused.headers["Retry-After"]
        assert "Terlalu banyak koneksi" in refused.json()["message"]
        other = file(client)  # another complaint's streams are counted apart
        with client.stream("GET", events_url(other), headers=headers(other)) as response:
            assert response.status_code == 200

        first.close()
        with client.stream("GET", events_url(filed), headers=headers(filed)) as response:
            assert response.status_code == 200


def test_the_stream_is_documented_as_an_event_stream(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"][
        "/api/v1/complaints/{tracking_code}/events"
    ]["get"]
    assert "text/event-stream" in operation["responses"]["200"]["content"]
    assert {"401", "404", "429"} <= set(operation["responses"])
    assert any(p["name"] == "Last-Event-ID" for p in operation["parameters"])


@pytest.mark.parametrize("last_event_id", ["abc", "-1", "\u00b2", "9" * 40])
def test_an_unreadable_last_event_id_means_from_the_start(
    client: TestClient, last_event_id: str
) -> None:
    filed = file(client)
    deliver(inbox_message(filed["tracking_code"]))
    with client.stream(
        "GET",
        events_url(filed),
        headers={**headers(filed), "Last-Event-ID": last_event_id.encode("latin-1")},
    ) as response:
        received = read_until_status(events(response.iter_lines()))
    assert [e.event for e in received] == ["message", "status"]


def test_a_lost_redis_connection_is_subscribed_again_and_nothing_is_missed(
    client: TestClient, broker_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    filed = file(client)
    code = filed["tracking_code"]
    with client.stream("GET", events_url(filed), headers=headers(filed)) as response:
        stream = events(response.iter_lines())
        read_until_status(stream)

        # Redis drops the stream's subscriber connection (as in a failover or a restart)...
        admin = redis.Redis.from_url(broker_url)
        try:
            assert admin.client_kill_filter(_type="pubsub") >= 1
        finally:
            admin.close()
        # ...and a message commits while the stream may not be listening.
        missed = inbox_message(code, title="Selama koneksi terputus")
        deliver(missed)
        first = next(stream)
        # Subscribed again: the next message arrives live.
        later = inbox_message(code, title="Sesudahnya")
        deliver(later)
        second = next(stream)

    assert [first.json()["title"], second.json()["title"]] == [missed.title, later.title]
    assert int(second.id or 0) > int(first.id or 0)
    assert "Redis connection lost" in caplog.text
