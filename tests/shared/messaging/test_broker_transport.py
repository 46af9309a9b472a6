"""The Redis transport keeps one client for what a channel publishes (kombu builds one per
message), and messages still arrive, also after Redis restarts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import redis
from celery import Celery
from kombu.transport import redis as kombu_redis

from shared.messaging.broker_transport import Transport
from shared.messaging.celery_app import make_celery
from shared.messaging.queue_keys import queue_length
from shared.runtime.settings import Settings
from tools.harness.redis_server import RedisServer


def app_on(url: str) -> Celery:
    return make_celery(Settings(broker={"redis_url": url}))


def queued(url: str, queue: str) -> int:
    client = redis.Redis.from_url(url)
    try:
        return queue_length(client, queue)
    finally:
        client.close()


def test_a_redis_broker_uses_the_transport_that_keeps_its_client(broker_url: str) -> None:
    app = app_on(broker_url)
    with app.connection_for_write() as connection:
        assert isinstance(connection.transport, Transport)


def test_the_broker_url_keeps_its_redis_scheme(broker_url: str) -> None:
    # Flower picks its Broker page by this scheme (tests/shared/runtime/test_flower.py).
    with app_on(broker_url).connection_for_write() as connection:
        assert connection.as_uri().startswith("redis://")


def test_a_sentinel_broker_keeps_kombus_own_transport() -> None:
    with app_on("sentinel://127.0.0.1:26379/0").connection_for_write() as connection:
        assert type(connection.transport) is kombu_redis.SentinelTransport


def test_more_messages_build_no_more_redis_clients(
    broker_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = 0
    real_init = redis.Redis.__init__

    def counted(self: redis.Redis, *args: Any, **kwargs: Any) -> None:
        nonlocal built
        built += 1
        real_init(self, *args, **kwargs)

    app = app_on(broker_url)
    monkeypatch.setattr(redis.Redis, "__init__", counted)
    with app.producer_or_acquire() as producer:
        for number in range(20):
            app.send_task("intake.status.apply", kwargs={"n": number}, producer=producer)
        after_twenty = built
        for number in range(20):
            app.send_task("intake.status.apply", kwargs={"n": number}, producer=producer)
        after_forty = built
    monkeypatch.undo()
    assert queued(broker_url, "intake") == 40
    # Clients for the channels, then none per message (kombu's own: one per task and event).
    assert after_twenty < 5 and after_forty == after_twenty


def test_messages_arrive_after_redis_restarts(tmp_path: Path) -> None:
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        url = f"{server.url}/0"
        app = app_on(url)
        app.send_task("intake.status.apply", kwargs={"n": 1})
        server.stop()
        server.start()  # the kept client's connections are gone: kombu's reconnect applies
        before = queued(url, "intake")
        app.send_task("intake.status.apply", kwargs={"n": 2})
        assert queued(url, "intake") == before + 1
    finally:
        server.stop()
