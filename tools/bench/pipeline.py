"""The pipeline part of a bench run: complaints carried through the five steps by scripted staff
with real workers between the steps, beside a bare Celery chain of five no-op tasks."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import aiohttp
import redis
from rich.progress import Progress
from sqlalchemy import func, select

from services.notifier.models import Delivery
from services.workflow.cases.steps import complete_step, worklist
from services.workflow.models import Case, CaseEvent
from services.workflow.staff.accounts import create_user, get_by_username
from shared.database.engine import ServiceDatabase, make_engine
from shared.process.service_wiring import connect
from shared.sop import Role
from tools.bench import bare_chain
from tools.bench.intake import complaint
from tools.bench.processes import Memory, celery_worker, configured_as, uvicorn, wait_ready
from tools.bench.report import Config, Counter, Pipeline
from tools.harness.databases import fresh_set
from tools.harness.desk import STEP_INPUTS
from tools.harness.processes import WORKER_QUEUES, ServiceProcess, wait_for

STAFF_PASSWORD = "bangku-uji-kecepatan-2026"
EMPTY_POLL = 0.1  # a staff loop finding its worklist empty looks again this soon


def make_staff(db: ServiceDatabase) -> None:
    with db.transaction() as session:
        for role in Role:
            create_user(session, username=f"bench_{role.value}", password=STAFF_PASSWORD, role=role)


def staff_loop(db: ServiceDatabase, role: Role, stop: threading.Event, errors: Counter) -> None:
    """One member of staff of ``role``: read the worklist, complete each case on it, each
    completion a transaction of its own (as a request to the staff API is)."""
    while not stop.is_set():
        with db.transaction() as session:
            cases = [(c.id, c.current_step) for c in worklist(session, role)]
        if not cases:
            stop.wait(EMPTY_POLL)
            continue
        for case_id, step in cases:
            assert step is not None  # on a worklist, so at a step
            try:
                with db.transaction() as session:
                    user = get_by_username(session, f"bench_{role.value}")
                    assert user is not None  # created by make_staff
                    complete_step(
                        session, case_id=case_id, step_number=step, user=user,
                        payload=bench_input(step),
                    )  # fmt: skip
            except Exception as exc:  # a conflict with a stale read: the next loop reads again
                errors.add(type(exc).__name__)


def bench_input(step: int) -> dict[str, Any]:
    """The desk's input for ``step``, a disposition addressed to the bench's own member."""
    payload = dict(STEP_INPUTS[step])
    if "assignees" in payload:
        payload["assignees"] = [f"bench_{Role.TIM_KOORDINASI.value}"]
    return payload


def deliveries(notifier_url: str) -> dict[str, int]:
    """The notifier's deliveries by status: the email and SMS the pipeline really sent."""
    engine = make_engine(notifier_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(Delivery.status, func.count()).group_by(Delivery.status)
            ).all()
    finally:
        engine.dispose()
    return {str(status): int(count) for status, count in rows}


def closed(db: ServiceDatabase) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).where(Case.closed_at.is_not(None))) or 0


def more_than(count: Callable[[], int], floor: int) -> Callable[[], bool]:
    """A condition for ``wait_for``: ``count()`` has passed ``floor`` (bound now, not at the
    loop's end)."""
    return lambda: count() > floor


def hop_latencies(db: ServiceDatabase) -> dict[str, list[float]]:
    """Seconds from step n's completion to the case's arrival at step n+1, by case."""
    times: dict[tuple[str, str, int], datetime] = {}
    with db.sessions() as session:
        for case_id, kind, step, at in session.execute(
            select(CaseEvent.case_id, CaseEvent.kind, CaseEvent.step, CaseEvent.occurred_at).where(
                CaseEvent.kind.in_(("completed", "arrived"))
            )
        ):
            if step is not None:  # completions and arrivals always name their step
                times[(case_id, kind, step)] = at
    hops: dict[str, list[float]] = {}
    for (case_id, kind, step), at in times.items():
        if kind == "arrived" and step > 1 and (case_id, "completed", step - 1) in times:
            seconds = (at - times[(case_id, "completed", step - 1)]).total_seconds()
            hops.setdefault(case_id, []).append(seconds)
    return hops


async def _file_all(url: str, count: int) -> int:
    accepted = 0
    connector = aiohttp.TCPConnector(limit=8)
    async with aiohttp.ClientSession(connector=connector) as session:
        numbers = iter(range(count))

        async def one_client() -> None:
            nonlocal accepted
            for number in numbers:
                async with session.post(
                    f"{url}/api/v1/complaints",
                    data=complaint(number),
                    headers={"Content-Type": "application/json"},
                ) as r:
                    await r.read()
                    accepted += r.status == 202

        await asyncio.gather(*(one_client() for _ in range(8)))
    return accepted


def start_desk(
    processes: list[ServiceProcess], workers: int, config: Config, env: dict[str, str], logs: Path
) -> str:
    """The intake API, the intake and notifier workers and ``workers`` workflow workers, each
    appended to ``processes`` as it starts; the API's address."""
    intake = "services.intake.api.app:create_app"
    api, url = uvicorn("api-intake", intake, env, logs, config.web_workers)
    processes.append(api)
    nodes = ["intake", "notifier"] + [f"workflow{i}" for i in range(workers)]
    for node in nodes:
        service = node.rstrip("0123456789")
        app = f"services.{service}.worker"
        processes.append(
            celery_worker(f"worker-{node}", app, WORKER_QUEUES[service], env, logs, node)
        )
    wait_ready(env["PENGADUAN_REDIS_URL"], nodes)
    return url


def run_pipeline(
    workers: int, config: Config, base_env: dict[str, str], pool: Any, logs: Path,
    progress: Progress, memory: Memory,
) -> Pipeline:  # fmt: skip
    urls = fresh_set(pool)
    env = {**base_env, **{f"PENGADUAN_{s.upper()}_DATABASE_URL": u for s, u in urls.items()}}
    redis.Redis.from_url(env["PENGADUAN_REDIS_URL"]).flushdb()
    processes: list[ServiceProcess] = []
    stack = ExitStack()
    try:
        url = start_desk(processes, workers, config, env, logs)
        if workers == config.scale[0]:
            for process in processes:
                memory.watch(process.name, process)
            memory.rest()
            memory.start()
        # Staff act as the staff API does: this process configured as the API process is, its
        # database handle with the outbox relay that publishes each hand-off on commit.
        stack.enter_context(configured_as(env))
        db = connect("workflow")
        assert db.relay is not None
        db.relay.start("bench-staff")
        stack.callback(db.relay.stop)
        make_staff(db)
        stop = threading.Event()
        errors = Counter()
        staff = [
            threading.Thread(target=staff_loop, args=(db, role, stop, errors), daemon=True)
            for role in Role
        ]
        for thread in staff:
            thread.start()
        # One case at a time first: each hop without a queue in front of it.
        quiet = progress.add_task(f"one at a time, {workers} worker(s)", total=config.single)
        for number in range(config.single):
            asyncio.run(_file_all(url, 1))
            wait_for(more_than(lambda: closed(db), number), 60, "a single case through five steps")
            progress.update(quiet, completed=number + 1)
        quiet_hops = hop_latencies(db)
        task = progress.add_task(f"pipeline, {workers} workflow worker(s)", total=config.complaints)
        started = time.perf_counter()
        accepted = asyncio.run(_file_all(url, config.complaints)) + config.single
        deadline = time.monotonic() + 600
        while (done := closed(db)) < accepted and time.monotonic() < deadline:
            progress.update(task, completed=done)
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        progress.update(task, completed=closed(db))
        stop.set()
        for thread in staff:
            thread.join(10)
        memory.stop()
        burst = [
            h for case, hops in hop_latencies(db).items() if case not in quiet_hops for h in hops
        ]
        result = Pipeline(
            "desk", workers, closed(db) - config.single, seconds, burst,
            [h for hops in quiet_hops.values() for h in hops],
            deliveries(urls["notifier"]),
        )  # fmt: skip
        db.engine.dispose()
        return result
    finally:
        stack.close()
        for process in processes:
            process.stop()


def _chain_hops(client: redis.Redis) -> list[float]:
    return [
        float(raw.decode().split(":")[1])
        for raw in cast(list[bytes], client.lrange(bare_chain.HOP_LATENCIES, 0, -1))
        if not raw.startswith(b"1:")  # the first task's wait is the bench's send, not a hop
    ]


def run_bare_chain(
    workers: int, config: Config, env: dict[str, str], logs: Path, progress: Progress
) -> Pipeline:
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
            bare_chain.start_chain(-1 - chain)
            wait_for(more_than(chains_done, chain), 60, "a single chain")
        quiet_hops = _chain_hops(client)
        client.delete(bare_chain.DONE, bare_chain.HOP_LATENCIES)
        task = progress.add_task(f"bare Celery chain, {workers} worker(s)", total=config.complaints)
        started = time.perf_counter()
        for chain in range(config.complaints):
            bare_chain.start_chain(chain)
        deadline = time.monotonic() + 300
        while (done := chains_done()) < config.complaints and time.monotonic() < deadline:
            progress.update(task, completed=done)
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        progress.update(task, completed=done)
        hops = _chain_hops(client)
        return Pipeline("bare chain", workers, int(done), seconds, hops, quiet_hops)
    finally:
        for process in processes:
            process.stop()
        client.flushdb()
        client.close()
