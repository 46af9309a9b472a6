"""The pipeline part of a bench run: complaints carried through the five steps by scripted staff
with real workers between the steps (its baselines: ``tools.bench.chains``)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import redis
from rich.progress import Progress
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from services.notifier.models import Delivery
from services.workflow.cases.steps import complete_step, worklist
from services.workflow.models import Case, CaseEvent
from services.workflow.staff.accounts import create_user, get_by_username
from shared.database.engine import ServiceDatabase, make_engine
from shared.process.service_wiring import connect
from shared.runtime.settings import get_settings
from shared.sop import Role
from tools.bench import task_count
from tools.bench.intake import complaint
from tools.bench.processes import (
    Memory,
    celery_worker,
    configured_as,
    stop_all,
    uvicorn,
    wait_ready,
)
from tools.bench.report import Config, Counter, Pipeline, Scale, Tasks
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
        try:
            with db.transaction() as session:
                cases = [(c.id, c.current_step) for c in worklist(session, role)]
        except OperationalError as exc:  # no connection in time on a starved machine: again
            errors.add(type(exc).__name__)
            cases = []
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
    processes: list[ServiceProcess], scale: Scale, config: Config, env: dict[str, str], logs: Path
) -> str:
    """The intake API, the intake worker, the notifier and workflow workers ``scale`` asks for,
    each appended to ``processes`` as it starts; the API's address. Each worker loads the
    bench's task counter, which counts only when ``env`` names its Redis."""
    intake = "services.intake.api.app:create_app"
    api, url = uvicorn("api-intake", intake, env, logs, scale.api or config.web_workers)
    processes.append(api)
    nodes = (
        ["intake"]
        + ["notifier" + (str(i) if i else "") for i in range(scale.notifier)]
        + [f"workflow{i}" for i in range(scale.workflow)]
    )
    for node in nodes:
        service = node.rstrip("0123456789")
        app = f"services.{service}.worker"
        worker = celery_worker(
            f"worker-{node}", app, WORKER_QUEUES[service], env, logs, node,
            include=task_count.__name__,
        )  # fmt: skip
        processes.append(worker)
    wait_ready(env["PENGADUAN_REDIS_URL"], nodes)
    return url


def run_env(
    base_env: dict[str, str], urls: dict[str, str], config: Config, *, first: bool
) -> dict[str, str]:
    """A pipeline run's environment: its fresh databases; in the first run, the task counter
    on, and the outbox's redrive after ``config.redrive_seconds`` if given; in every run the
    bookkeeping rows' linger ``config.linger_seconds`` if given."""
    env = {**base_env, **{f"PENGADUAN_{s.upper()}_DATABASE_URL": u for s, u in urls.items()}}
    if config.linger_seconds is not None:
        env["PENGADUAN_OUTBOX_BATCH_LINGER_SECONDS"] = str(config.linger_seconds)
    if first:
        env[task_count.URL_VARIABLE] = env["PENGADUAN_REDIS_URL"]
        if config.redrive_seconds is not None:
            env["PENGADUAN_OUTBOX_REDRIVE_SECONDS"] = str(config.redrive_seconds)
    return env


def start_staff(db: ServiceDatabase) -> Callable[[], None]:
    """One scripted member of staff per role, each a thread; the function that stops them."""
    stop = threading.Event()
    errors = Counter()
    staff = [
        threading.Thread(target=staff_loop, args=(db, role, stop, errors), daemon=True)
        for role in Role
    ]
    for thread in staff:
        thread.start()

    def stopped() -> None:
        stop.set()
        for thread in staff:
            thread.join(10)

    return stopped


def count_tasks(client: redis.Redis, urls: dict[str, str], db: ServiceDatabase) -> Tasks:
    """Once every task and every redriven copy has run: the tasks run, per complaint closed."""
    redrive = get_settings().outbox.redrive_seconds  # as configured for this run
    settled = task_count.Settled(client, list(urls.values()))
    try:
        wait_for(settled, redrive + 300, "the desk to run every task and every copy")
    finally:
        settled.close()
    return Tasks(closed(db), task_count.counted(client), redrive)


def run_pipeline(
    scale: Scale, config: Config, base_env: dict[str, str], pool: Any, logs: Path,
    progress: Progress, memory: Memory, *, first: bool,
) -> tuple[Pipeline, Tasks | None]:  # fmt: skip
    """One pipeline run at ``scale``. The first also watches the processes' memory and CPU and
    counts the tasks the workers ran, waiting after the last case closes until the outbox's
    redriven copies have run too."""
    urls = fresh_set(pool)
    env = run_env(base_env, urls, config, first=first)
    client = redis.Redis.from_url(env["PENGADUAN_REDIS_URL"])
    client.flushdb()
    processes: list[ServiceProcess] = []
    stack = ExitStack()
    stack.callback(client.close)
    workers = scale.workflow
    try:
        url = start_desk(processes, scale, config, env, logs)
        if first:
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
        stop_staff = start_staff(db)
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
        stop_staff()
        memory.stop()
        burst = [
            h for case, hops in hop_latencies(db).items() if case not in quiet_hops for h in hops
        ]
        result = Pipeline(
            "desk", workers, closed(db) - config.single, seconds, burst,
            [h for hops in quiet_hops.values() for h in hops],
            deliveries(urls["notifier"]), scale.notifier, scale.api or config.web_workers,
        )  # fmt: skip
        tasks = count_tasks(client, urls, db) if first else None
        db.engine.dispose()
        return result, tasks
    finally:
        stack.close()
        stop_all(processes)
