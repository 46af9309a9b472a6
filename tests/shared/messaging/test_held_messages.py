"""A worker keeps the messages it holds from being given away (shared.messaging.broker_transport):
each refresh re-scores them in kombu's unacked index, and never brings back one that is gone."""

from __future__ import annotations

import redis
from celery import Celery
from kombu.asynchronous import Hub

from shared.messaging.broker_transport import Channel, Transport
from shared.messaging.celery_app import make_celery
from shared.runtime.settings import Settings

INDEX = "unacked_index"
LONG_AGO = 1.0  # a delivery time any restore would take as expired


def app_on(url: str) -> Celery:
    return make_celery(Settings(broker={"redis_url": url, "visibility_timeout": 30}))


def test_a_refresh_rescores_what_is_held_and_not_what_was_acked_or_restored(
    broker_url: str,
) -> None:
    app = app_on(broker_url)
    for number in range(3):
        app.send_task("intake.status.apply", kwargs={"n": number})
    client = redis.Redis.from_url(broker_url)
    with app.connection_for_read() as connection:
        channel = connection.default_channel
        assert isinstance(channel, Channel)
        acked, held, restored = (channel.basic_get("intake", no_ack=False) for _ in range(3))
        tags = [acked.delivery_tag, held.delivery_tag, restored.delivery_tag]
        client.zadd(INDEX, dict.fromkeys(tags, LONG_AGO))
        acked.ack()
        client.zrem(INDEX, restored.delivery_tag)  # as another worker's restore does

        assert channel.refresh_held() == 2  # the two not acknowledged here
        assert client.zscore(INDEX, acked.delivery_tag) is None
        assert client.zscore(INDEX, restored.delivery_tag) is None
        assert (client.zscore(INDEX, held.delivery_tag) or 0) > LONG_AGO
        assert client.zcard(INDEX) == 1
        held.ack()
        assert channel.refresh_held() == 1  # the restored one, still held here
        assert client.zcard(INDEX) == 0  # and still not brought back
    client.close()


def test_a_channel_that_never_consumed_refreshes_nothing(broker_url: str) -> None:
    with app_on(broker_url).connection_for_read() as connection:
        channel = connection.default_channel
        assert isinstance(channel, Channel)
        assert channel.refresh_held() == 0
        assert channel._qos is None  # none made just to look


def test_registering_again_cancels_the_earlier_refresh_timer(broker_url: str) -> None:
    hub = Hub()
    with app_on(broker_url).connection_for_read() as connection:
        transport = connection.transport
        assert isinstance(transport, Transport)
        connection.default_channel  # noqa: B018 - opens the transport's connection
        transport.register_with_event_loop(connection.connection, hub)
        first = transport.cycle._refresh_held_tref
        transport.register_with_event_loop(connection.connection, hub)  # as on a reconnect
        assert first.canceled
        assert not transport.cycle._refresh_held_tref.canceled
    hub.close()
