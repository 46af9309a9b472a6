"""The Redis lists that hold one queue's waiting messages, for everything that reads them.

kombu's Redis transport keeps a queue's messages in one list per priority step: the queue's own
name for priority 0 and ``<queue>\\x06\\x16<step>`` for the others (``Channel._q_for_pri``). A
worker's BRPOP names the lists in priority order, so in Redis 0 is the highest priority. The
steps and the separator are kombu's defaults, left unset in the broker's transport options:
Flower's Broker page assumes those same defaults when it counts a queue, and this module reads
them from kombu rather than copying them.

Anything that counts or reads a queue (the queue-depth metric, the chaos and bench tools, the
tests) names its lists here, so a message at any priority is seen.
"""

from __future__ import annotations

from typing import Any, cast

from kombu.transport.redis import Channel

PRIORITY_STEPS: tuple[int, ...] = tuple(Channel.priority_steps)
SEPARATOR: str = Channel.sep


def queue_keys(queue: str) -> tuple[str, ...]:
    """The queue's lists, highest priority (taken first) first."""
    return tuple(queue if step == 0 else f"{queue}{SEPARATOR}{step}" for step in PRIORITY_STEPS)


def queue_length(client: Any, queue: str) -> int:
    """Messages waiting on ``queue`` at every priority (a redis-py client; one round trip)."""
    with client.pipeline(transaction=False) as pipe:
        for key in queue_keys(queue):
            pipe.llen(key)
        return sum(int(n) for n in pipe.execute())


def queued_messages(client: Any, queue: str, limit: int = -1) -> list[bytes]:
    """The raw messages waiting on ``queue``, every priority's list in the order a worker takes
    the lists; ``limit`` caps how many are read from each list (-1: all)."""
    stop = -1 if limit < 0 else limit - 1
    with client.pipeline(transaction=False) as pipe:
        for key in queue_keys(queue):
            pipe.lrange(key, 0, stop)
        return [raw for values in pipe.execute() for raw in cast(list[bytes], values)]
