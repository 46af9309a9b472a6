"""The pipeline's baselines in a bench run: the bare chain of five no-op tasks, and the
transactional chain of as many tasks per complaint as the desk was counted to run, each one
transaction on PostgreSQL (``tools.bench.bare_chain``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import cast

import psycopg
import redis
from rich.progress import Progress

from tools.bench import bare_chain
from tools.bench.durable_api import pg_conninfo
from tools.bench.pipeline import more_than
from tools.bench.processes import celery_worker, stop_all, wait_ready
from tools.bench.report import Config, Pipeline
from tools.harness.processes import wait_for


def _chain_hops(client: redis.Redis) -> list[float]:
    return [
        float(raw.decode().split(":")[1])
        for raw in cast(list[bytes], client.lrange(bare_chain.HOP_LATENCIES, 0, -1))
        if not raw.startswith(b"1:")  # the first task's wait is the bench's send, not a hop
    ]


def _run_chain(
    name: str, workers: int, start: Callable[[int], None], config: Config,
    env: dict[str, str], logs: Path, progress: Progress,
) -> Pipeline:  # fmt: skip
    """``config.single`` chains one at a time, then ``config.complaints`` at once, on
    ``workers`` worker processes each consuming the five queues."""
    broker_url = env["PENGADUAN_REDIS_URL"]
    client = redis.Redis.from_url(broker_url)
    client.flushdb()

    def chains_done() -> int:
        return cast(int, client.llen(bare_chain.DONE))

    chain_env = {**env, "BENCH_BROKER_URL": broker_url}
    queues = ",".join(bare_chain.QUEUES)
    processes = [
        celery_worker(f"bare-chain{i}", bare_chain.__name__, queues, chain_env, logs, f"chain{i}")
        for i in range(workers)
    ]
    try:
        wait_ready(broker_url, [f"chain{i}" for i in range(workers)])
        bare_chain.app.conf.broker_url = broker_url
        for chain in range(config.single):
            start(-1 - chain)
            wait_for(more_than(chains_done, chain), 60, "a single chain")
        quiet_hops = _chain_hops(client)
        client.delete(bare_chain.DONE, bare_chain.HOP_LATENCIES)
        task = progress.add_task(f"{name}, {workers} worker(s)", total=config.complaints)
        started = time.perf_counter()
        for chain in range(config.complaints):
            start(chain)
        deadline = time.monotonic() + 300
        while (done := chains_done()) < config.complaints and time.monotonic() < deadline:
            progress.update(task, completed=done)
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        progress.update(task, completed=done)
        hops = _chain_hops(client)
        return Pipeline(name, workers, int(done), seconds, hops, quiet_hops)
    finally:
        stop_all(processes)
        client.flushdb()
        client.close()


def run_bare_chain(
    workers: int, config: Config, env: dict[str, str], logs: Path, progress: Progress
) -> Pipeline:
    return _run_chain("bare chain", workers, bare_chain.start_chain, config, env, logs, progress)


def run_txn_chain(
    workers: int, tasks: int, database_url: str, config: Config, env: dict[str, str],
    logs: Path, progress: Progress,
) -> Pipeline:  # fmt: skip
    """The transactional chain, ``tasks`` per complaint, on the fresh PostgreSQL database
    ``database_url`` (its tables created here, a row per chain inserted before the first)."""
    conninfo = pg_conninfo(database_url)
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
        cur.execute(bare_chain.TABLES.encode())
        cur.executemany(
            "INSERT INTO bench_chains (chain) VALUES (%s)",
            [(n,) for n in range(-config.single, config.complaints)],
        )
    start = partial(bare_chain.start_txn_chain, tasks=tasks)
    chain_env = {**env, "BENCH_CHAIN_DATABASE_URL": conninfo}
    return _run_chain("transactional chain", workers, start, config, chain_env, logs, progress)
