"""Queue depth for Prometheus: how many messages wait on each queue, read from Redis at scrape.

Flower's metrics carry no queue depth (see DESIGN.md), and this is the figure an operator alerts
on. A queue's depth is the sum of its priority lists' LLEN (``shared.messaging.queue_keys``), as
Flower counts it too: messages taken by a worker but not yet acknowledged, and ETA messages, are
not in it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import redis
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from shared.messaging.celery_app import ALL_QUEUES
from shared.messaging.queue_keys import queue_keys
from shared.runtime.settings import get_settings

log = logging.getLogger(__name__)

# A scrape must answer even with Redis away: give up on it quickly.
REDIS_TIMEOUT_SECONDS = 1.0


class QueueDepthCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "pengaduan_redis_up", "1 when the broker answered this scrape, 0 when it did not"
        )
        try:
            depths = queue_depths(get_settings().broker.url)
        except redis.RedisError as exc:
            log.warning("queue depth unavailable: %s", exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        depth = GaugeMetricFamily(
            "pengaduan_queue_depth",
            "Messages waiting on the queue, every priority (Redis LLEN)",
            labels=["queue"],
        )
        for queue, length in depths.items():
            depth.add_metric([queue], length)
        yield depth


def queue_depths(broker_url: str) -> dict[str, int]:
    client = redis.Redis.from_url(
        broker_url,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
    )
    try:
        with client.pipeline(transaction=False) as pipe:  # one round trip for every list
            for queue in ALL_QUEUES:
                for key in queue_keys(queue):
                    pipe.llen(key)
            lengths = iter(pipe.execute())
    finally:
        client.close()
    return {queue: sum(int(next(lengths)) for _ in queue_keys(queue)) for queue in ALL_QUEUES}
