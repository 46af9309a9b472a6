"""The pipeline bench's baseline: a bare Celery chain of five no-op tasks, each on a queue of its
own, on the same Redis and with the same delivery settings as the desk's workers (acks late,
prefetch 1, JSON), so what separates the two is the desk's own work per hop.

    celery -A tools.bench.bare_chain worker -Q hop1,hop2,hop3,hop4,hop5

Each task records how long its message took from being sent to being run (the hop), and the
last one records that its chain is done, in Redis lists the bench reads back.
"""

from __future__ import annotations

import os
import time

import redis
from celery import Celery
from kombu.entity import Exchange, Queue

HOPS = 5
QUEUES = [f"hop{n}" for n in range(1, HOPS + 1)]
HOP_LATENCIES = "bench:hop-latencies"
DONE = "bench:chains-done"

app = Celery("bare-chain", broker=os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14"))
app.conf.update(
    task_queues=[
        Queue(q, Exchange(q, type="direct"), routing_key=q)  # type: ignore[no-untyped-call]
        for q in QUEUES
    ],
    task_serializer="json",
    accept_content=["json"],
    task_ignore_result=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
)
_results: redis.Redis | None = None


def _redis() -> redis.Redis:
    global _results  # noqa: PLW0603 - one client per worker process
    if _results is None:
        _results = redis.Redis.from_url(app.conf.broker_url)
    return _results


@app.task(name="bench.hop")  # type: ignore[untyped-decorator]
def hop(step: int, chain: int, sent_at: float) -> None:
    _redis().rpush(HOP_LATENCIES, f"{step}:{time.time() - sent_at}")
    if step < HOPS:
        hop.apply_async((step + 1, chain, time.time()), queue=QUEUES[step])
    else:
        _redis().rpush(DONE, f"{chain}:{time.time()}")


def start_chain(chain: int) -> None:
    hop.apply_async((1, chain, time.time()), queue=QUEUES[0])
