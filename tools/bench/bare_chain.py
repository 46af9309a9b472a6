"""The pipeline bench's baselines, on the same Redis and with the same delivery settings as the
desk's workers (acks late, prefetch 1, JSON), so what separates them is the desk's own work:

- the bare chain: five no-op tasks, each on a queue of its own (``hop``);
- the transactional chain: the same five hops, and beside them as many side tasks as bring a
  complaint's tasks to the number the desk was counted to run (``txn_hop``, ``txn_side``), each
  task one small transaction on PostgreSQL with psycopg (an insert and an update, of tables of
  its own: ``TABLES``). A chain is done when all its tasks have committed.

    celery -A tools.bench.bare_chain worker -Q hop1,hop2,hop3,hop4,hop5

Each hop records how long its message took from being sent to being run (the hop), and the
chain's end is recorded, in Redis lists the bench reads back.
"""

from __future__ import annotations

import os
import time

import psycopg
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


# The transactional chain's tables, in a fresh database of the desk's PostgreSQL server.
TABLES = """
CREATE TABLE bench_chains (chain integer PRIMARY KEY, tasks_run integer NOT NULL DEFAULT 0,
    updated_at timestamptz);
CREATE TABLE bench_events (id bigserial PRIMARY KEY, chain integer NOT NULL,
    step integer NOT NULL, occurred_at timestamptz NOT NULL DEFAULT now());
"""
_database: psycopg.Connection[tuple[int]] | None = None


def _transact(chain: int, step: int, tasks: int) -> None:
    """The task's one transaction; the chain is done when its last task commits."""
    global _database  # noqa: PLW0603 - one connection per worker process, made after the fork
    if _database is None:
        _database = psycopg.connect(os.environ["BENCH_CHAIN_DATABASE_URL"])
    with _database.transaction(), _database.cursor() as cur:
        cur.execute("INSERT INTO bench_events (chain, step) VALUES (%s, %s)", (chain, step))
        cur.execute(
            "UPDATE bench_chains SET tasks_run = tasks_run + 1, updated_at = now() "
            "WHERE chain = %s RETURNING tasks_run",
            (chain,),
        )
        row = cur.fetchone()
    if row is not None and row[0] == tasks:
        _redis().rpush(DONE, f"{chain}:{time.time()}")


def sides_at(step: int, tasks: int) -> int:
    """Side tasks sent at hop ``step``: the ``tasks - HOPS`` spread evenly over the hops."""
    sides = max(0, tasks - HOPS)
    return sides // HOPS + (1 if step <= sides % HOPS else 0)


@app.task(name="bench.txn_hop")  # type: ignore[untyped-decorator]
def txn_hop(step: int, chain: int, sent_at: float, tasks: int) -> None:
    _redis().rpush(HOP_LATENCIES, f"{step}:{time.time() - sent_at}")
    _transact(chain, step, tasks)
    for _ in range(sides_at(step, tasks)):
        txn_side.apply_async((step, chain, tasks), queue=QUEUES[step - 1])
    if step < HOPS:
        txn_hop.apply_async((step + 1, chain, time.time(), tasks), queue=QUEUES[step])


@app.task(name="bench.txn_side")  # type: ignore[untyped-decorator]
def txn_side(step: int, chain: int, tasks: int) -> None:
    _transact(chain, step, tasks)


def start_txn_chain(chain: int, tasks: int) -> None:
    txn_hop.apply_async((1, chain, time.time(), tasks), queue=QUEUES[0])
