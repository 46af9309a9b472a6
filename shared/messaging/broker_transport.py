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

Held messages are kept fresh (issue 26: a SIGKILLed worker's task runs again within a minute).
kombu's Redis transport has no acknowledgements of its own: a message taken from a queue waits in
the ``unacked`` hash, indexed in the ``unacked_index`` sorted set by the time it was delivered,
and any worker puts back on its queue an entry older than the visibility timeout. The score is
never moved, so a message a live worker still holds longer than the timeout (a slow task, a
retry's countdown held as an ETA message, a task waiting out a database outage) is delivered a
second time; that is why the timeout was five minutes, and why a killed worker's task waited five
minutes. kombu 5.7 offers nothing that moves the score (``QoS.append`` writes it once;
``restore_visible`` only reads it), and the long-standing reports of the duplicates (kombu #337,
celery #5935) are still open, so the refresh is written here: every ``unacked_refresh_interval``
seconds, on the worker's event loop, each channel re-scores with the current time every delivery
tag its QoS still holds, in one ``ZADD ... XX`` (``XX`` only updates entries still in the index,
so a message acknowledged or already restored meanwhile is never brought back). A worker that
dies stops refreshing, and its messages become visible one timeout after its last refresh.
Celery's prefork pool runs tasks in child processes, so the main process' loop, which refreshes,
is free while a task runs; the solo pool runs tasks on that loop, and a task longer than the
timeout there would be delivered again (no service runs it).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kombu import transport as kombu_transports
from kombu.transport import redis as kombu_redis

TRANSPORT = f"{__name__}:Transport"
SCHEMES = ("redis", "rediss")
REFRESH_OPTION = "unacked_refresh_interval"  # a transport option; celery_app derives it
DEFAULT_REFRESH_INTERVAL = 10

log = logging.getLogger(__name__)


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

    def refresh_held(self) -> int:
        """Re-score the messages this channel still holds as delivered now; how many it held."""
        qos = self._qos  # not ``self.qos``: a channel that never consumed has none to make
        if qos is None:
            return 0
        acked = qos._dirty
        held = [tag for tag in tuple(qos._delivered) if tag not in acked]
        if held:
            with self.conn_or_acquire() as client:
                client.zadd(self.unacked_index_key, dict.fromkeys(held, time.time()), xx=True)
        return len(held)


class Transport(kombu_redis.Transport):
    Channel = Channel

    def register_with_event_loop(self, connection: Any, loop: Any) -> None:
        super().register_with_event_loop(connection, loop)  # type: ignore[no-untyped-call]
        cycle: Any = self.cycle  # kombu's MultiChannelPoller (typed as virtual's FairCycle)
        # As kombu does for its own timers: a reconnect registers again, so cancel the old one.
        stale = getattr(cycle, "_refresh_held_tref", None)
        if stale is not None:
            stale.cancel()
        options = connection.client.transport_options
        interval = options.get(REFRESH_OPTION) or DEFAULT_REFRESH_INTERVAL
        cycle._refresh_held_tref = loop.call_repeatedly(interval, self.refresh_held_messages)

    def refresh_held_messages(self) -> None:
        cycle: Any = self.cycle
        for channel in list(cycle._channels):
            try:
                channel.refresh_held()
            except channel.connection_errors:
                # As kombu's restore: skip this tick, the polling loop reconnects on its own.
                log.debug("refresh_held: connection error, will retry", exc_info=True)


def register() -> None:
    """Make this module's Transport the one kombu resolves for ``redis://`` and ``rediss://``
    in this process (idempotent; every service process calls it through ``make_celery``)."""
    for scheme in SCHEMES:
        kombu_transports.TRANSPORT_ALIASES[scheme] = TRANSPORT
