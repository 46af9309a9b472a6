"""How many tasks the desk's workers run per complaint, counted by the workers themselves.

A bench-only hook, loaded into each worker with Celery's ``--include`` (``-I``) and active only
when ``BENCH_TASK_COUNT_URL`` names a Redis: Celery's ``task_prerun`` signal, in the pool child
that runs the task, adds one to the task name's count and the task id to the name's set. A
task's runs beyond its distinct ids are second runs of one message: the outbox's redriven copy
(sent with the row's id as task id), a redelivery or a retry. Nothing in the services knows of it.

The count is read once the desk has settled: every outbox row of every service sent twice (its
redriven copy included), no message waiting on a queue or unacknowledged, and the count still.
"""

from __future__ import annotations

import os
import time
from typing import Any, cast

import redis
from celery import signals
from sqlalchemy import create_engine, func, select

from shared.database.shared_tables import OutboxMessage
from shared.messaging.celery_app import ALL_QUEUES
from shared.messaging.queue_keys import queue_length

URL_VARIABLE = "BENCH_TASK_COUNT_URL"
RUNS = "bench:task-runs"  # a hash: task name -> runs
IDS = "bench:task-ids:"  # one set per task name: the ids of the messages run
UNACKED = "unacked"  # kombu's Redis transport: messages taken and not yet acknowledged
STILL_FOR = 1.0  # the count unchanged this long, with nothing queued, is settled


def _count(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    global _client  # noqa: PLW0603 - one client per pool child, made after the fork
    if _client is None:
        _client = redis.Redis.from_url(os.environ[URL_VARIABLE])
    name = getattr(task, "name", None) or "?"
    with _client.pipeline(transaction=False) as pipe:
        pipe.hincrby(RUNS, name, 1)
        pipe.sadd(IDS + name, task_id or "?")
        pipe.execute()


_client: redis.Redis | None = None
if os.environ.get(URL_VARIABLE):
    signals.task_prerun.connect(_count, weak=False, dispatch_uid="bench-task-count")


def counted(client: redis.Redis) -> dict[str, tuple[int, int]]:
    """Task name -> (runs, distinct messages run)."""
    runs = cast(dict[bytes, bytes], client.hgetall(RUNS))
    return {
        name.decode(): (int(count), cast(int, client.scard(IDS + name.decode())))
        for name, count in sorted(runs.items())
    }


class Settled:
    """A condition for ``wait_for``: the desk has nothing left to run, copies included."""

    def __init__(self, client: redis.Redis, database_urls: list[str]) -> None:
        self._client = client
        self._engines = [create_engine(url) for url in database_urls]
        self._last: tuple[int, float] | None = None

    def _unsent(self) -> int:
        """Outbox rows not yet sent twice (first and redriven copy), in every service."""
        query = select(func.count()).where(OutboxMessage.redriven_at.is_(None))
        unsent = 0
        for engine in self._engines:
            with engine.connect() as connection:
                unsent += int(connection.scalar(query) or 0)
        return unsent

    def __call__(self) -> bool:
        client = self._client
        queued = sum(queue_length(client, q) for q in ALL_QUEUES)
        if queued or client.hlen(UNACKED) or self._unsent():
            self._last = None
            return False
        total = sum(runs for runs, _ in counted(client).values())
        now = time.monotonic()
        if self._last is None or self._last[0] != total:
            self._last = (total, now)
            return False
        return now - self._last[1] >= STILL_FOR

    def close(self) -> None:
        for engine in self._engines:
            engine.dispose()
