"""kombu's Redis transport, keeping one Redis client per channel for what it publishes.

kombu's Redis channel builds a new ``redis.Redis`` for every message it publishes and every
Celery event it sends (``Channel.conn_or_acquire``), over the same connection pool each time.
With redis-py 7 building a client copies its table of response callbacks: about half a
millisecond of CPU, three or four times per task (the task-received, -started and -succeeded
events for Flower, and the outbox relay's batch), which was a tenth of a worker's CPU (py-spy,
docs/BENCHMARKS.md). The client kept here wraps the very pool kombu would have used, so the
connections, their timeouts and kombu's reconnect handling are kombu's own; only the wrapper
object is no longer thrown away.

It is registered under kombu's own ``redis`` and ``rediss`` names (``register``), not named by
``broker_transport``: the broker URL then keeps its ``redis://`` scheme everywhere it is shown or
parsed, and Flower, which picks its Broker page and queue-length API by that scheme, still
counts each queue (with ``broker_transport`` set the URL read
``shared.messaging.broker_transport:Transport://...`` and Flower answered 404). A Sentinel
broker keeps kombu's own transport.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kombu import transport as kombu_transports
from kombu.transport import redis as kombu_redis

TRANSPORT = f"{__name__}:Transport"
SCHEMES = ("redis", "rediss")


class Channel(kombu_redis.Channel):
    _kept_client: Any = None

    @contextmanager
    def conn_or_acquire(self, client: Any = None) -> Iterator[Any]:
        if client:
            yield client
            return
        kept = self._kept_client
        pool = self.pool  # kombu makes a new pool after a lost connection: follow it
        if kept is None or kept.connection_pool is not pool:
            kept = self._kept_client = self._create_client()  # type: ignore[no-untyped-call]
        yield kept


class Transport(kombu_redis.Transport):
    Channel = Channel


def register() -> None:
    """Make this module's Transport the one kombu resolves for ``redis://`` and ``rediss://``
    in this process (idempotent; every service process calls it through ``make_celery``)."""
    for scheme in SCHEMES:
        kombu_transports.TRANSPORT_ALIASES[scheme] = TRANSPORT
