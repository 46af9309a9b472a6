"""The relay's task messages (``shared.messaging.task_messages``) are what ``Celery.send_task``
writes: the same task message in the same Redis list (a route's priority included) and the same
``task-sent`` event on the same channel, read back from a real Redis."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from celery import Celery

from shared.messaging.celery_app import make_celery
from shared.messaging.outbox import task_summary
from shared.messaging.task_messages import TaskMessage, TaskMessages
from shared.runtime.log_context import REQUEST_ID_HEADER
from shared.runtime.settings import Settings

PAYLOAD = {"message_id": "m-1", "tracking_code": "PGD-AAAA-BBBB", "status": "verified"}
URGENT, LATER = "intake.test.urgent", "intake.test.later"


@pytest.fixture
def app(broker_url: str) -> Celery:
    celery = make_celery(Settings(broker={"redis_url": broker_url}))
    # Routes with a priority of their own, as the workflow's hand-offs will have.
    routes = dict(celery.conf.task_routes)
    routes[URGENT] = {"queue": "intake", "priority": 9}
    routes[LATER] = {"queue": "notifier", "priority": 4}
    celery.conf.task_routes = routes
    return celery


@pytest.fixture
def client(broker_url: str) -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url(broker_url)
    yield connection
    connection.close()


def sent_by_celery(app: Celery, name: str, task_id: str) -> None:
    """As the relay sent a row before (``send_task`` in a producer's batch)."""
    with app.producer_or_acquire() as producer, producer.batch():
        app.send_task(
            name, kwargs={"message": PAYLOAD}, kwargsrepr=task_summary(PAYLOAD), task_id=task_id,
            headers={REQUEST_ID_HEADER: "req-1"}, retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.5},
            producer=producer,
        )  # fmt: skip


def sent_by_relay(app: Celery, name: str, task_id: str) -> None:
    message = TaskMessage(
        name, task_id, {"message": PAYLOAD}, task_summary(PAYLOAD), {REQUEST_ID_HEADER: "req-1"}
    )
    with app.producer_or_acquire() as producer:
        TaskMessages(app).send_batch(producer, [message])


def popped(client: redis.Redis, key: bytes) -> dict[str, Any]:
    raw = client.rpop(key)
    assert raw is not None, key
    message: dict[str, Any] = json.loads(raw)
    message["body"] = json.loads(base64.b64decode(message["body"]))
    del message["properties"]["delivery_tag"]  # a new uuid4 per message
    return message


def test_the_task_message_and_its_event_are_what_send_task_writes(
    app: Celery, client: redis.Redis
) -> None:
    events = client.pubsub()
    # kombu's fanout channel for Celery's events in this db (the server is shared with others).
    events.psubscribe(f"/{client.connection_pool.connection_kwargs['db']}.celeryev/*")
    assert events.get_message(timeout=5) is not None  # subscribed
    written = []
    for send, task_id in ((sent_by_celery, "t-1"), (sent_by_relay, "t-1")):
        send(app, "intake.status.apply", task_id)
        [key] = [k for k in client.keys("*") if not k.startswith(b"_kombu")]
        task = popped(client, key)
        event = events.get_message(timeout=5)
        while event is not None and event["type"] != "pmessage":
            event = events.get_message(timeout=5)
        assert event is not None
        sent = json.loads(event["data"])
        sent["body"] = json.loads(base64.b64decode(sent["body"]))
        del sent["properties"]["delivery_tag"]
        for changing in ("clock", "timestamp"):
            assert sent["body"].pop(changing)
        written.append((key, task, event["channel"], sent))
    events.close()
    (celery_key, by_celery, celery_channel, celery_event) = written[0]
    (relay_key, by_relay, relay_channel, relay_event) = written[1]
    # send_task also copies its ``kwargsrepr`` argument into the message's properties, where
    # nothing reads it (workers, inspect and Flower read the header).
    assert by_celery["properties"].pop("kwargsrepr") == by_celery["headers"]["kwargsrepr"]
    assert (relay_key, by_relay) == (celery_key, by_celery) == (b"intake", by_celery)
    assert by_relay["headers"][REQUEST_ID_HEADER] == "req-1"
    assert by_relay["body"] == [[], {"message": PAYLOAD}, by_celery["body"][2]]
    assert (relay_channel, relay_event) == (celery_channel, celery_event)
    assert relay_event["body"]["type"] == "task-sent"


@pytest.mark.parametrize(("name", "queue"), [(URGENT, "intake"), (LATER, "notifier")])
def test_a_routes_priority_puts_the_message_in_kombus_list_for_it(
    app: Celery, client: redis.Redis, name: str, queue: str
) -> None:
    sent_by_celery(app, name, "by-celery")
    [celery_key] = [k for k in client.keys("*") if not k.startswith(b"_kombu")]
    assert celery_key != queue.encode()  # a priority list beside the queue's own
    by_celery = popped(client, celery_key)
    sent_by_relay(app, name, "by-celery")
    [relay_key] = [k for k in client.keys("*") if not k.startswith(b"_kombu")]
    assert relay_key == celery_key
    by_relay = popped(client, relay_key)
    by_celery["properties"].pop("kwargsrepr")
    assert by_relay == by_celery
    assert by_relay["properties"]["priority"] == app.conf.task_routes[name]["priority"]
