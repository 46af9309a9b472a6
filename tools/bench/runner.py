"""`make bench`: the desk's speed beside bare baselines measured in the same run.

    python -m tools.bench [--seconds 10] [--concurrency 16] [--complaints 200] [--scale 1,2]

- **intake**: complaints accepted per second and p50/p99 latency at a fixed concurrency, against
  the real intake API (its database, its outbox, Redis) and, in the same run, against a bare
  FastAPI app that validates the same body and does nothing else (``tools.bench.bare_api``);
- **pipeline**: complaints carried through the five steps by scripted staff calling the staff
  API's own functions (``worklist``, ``complete_step``, each in a transaction of its own as a
  request has), with real workers between the steps; the per-hop latency from one role's
  completion to the case's arrival on the next role's worklist, read from the case's record;
  beside a bare Celery chain of five no-op tasks on five queues (``tools.bench.bare_chain``);
  with 1 and then 2 workflow worker processes (``--scale``), as ``docker compose --scale`` adds;
- **memory**: resident memory of every service process at rest and its peak under the load.

It runs on ``PENGADUAN_TEST_DATABASE_URL`` / ``PENGADUAN_TEST_REDIS_URL`` when set (fresh
databases, Redis db 14, emptied before and after), on SQLite files and a private Redis
otherwise, and writes its figures into docs/BENCHMARKS.md between the ``bench:figures``
markers, with the machine and the date.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import aiohttp
import psutil
import redis
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import func, select

from services.notifier.models import Delivery
from services.workflow.cases.steps import complete_step, worklist
from services.workflow.models import Case, CaseEvent
from services.workflow.staff.accounts import create_user, get_by_username
from shared.database.engine import ServiceDatabase, make_engine
from shared.runtime.service_wiring import connect
from shared.runtime.settings import get_settings
from shared.sop import Role
from tools.bench import bare_chain
from tools.harness.databases import database_pool, fresh_set
from tools.harness.desk import STEP_INPUTS
from tools.harness.environment import emptied_redis_db, service_environment
from tools.harness.processes import PROJECT_ROOT, WORKER_QUEUES, ServiceProcess, wait_for
from tools.harness.redis_server import RedisServer, free_port

BENCH_REDIS_DB = 14
DOC = PROJECT_ROOT / "docs" / "BENCHMARKS.md"
START, END = "<!-- bench:figures -->", "<!-- /bench:figures -->"
STAFF_PASSWORD = "bangku-uji-kecepatan-2026"
EMPTY_POLL = 0.1  # a staff loop finding its worklist empty looks again this soon


@dataclass
class Config:
    seconds: float = 10.0  # measured load per HTTP target
    warmup: float = 2.0  # load before measuring (connections, caches, JIT-free warm paths)
    concurrency: int = 16  # requests in flight at once
    complaints: int = 200  # carried through the five steps per pipeline run, all at once
    single: int = 20  # carried through one at a time first, for the hop latency without a queue
    scale: tuple[int, ...] = (1, 2)  # workflow worker processes per run
    # uvicorn processes behind each HTTP target (the same for both): one per core, as compose runs
    web_workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    write: bool = True


class Counter(dict[str, int]):
    def add(self, key: str) -> None:
        self[key] = self.get(key, 0) + 1


@dataclass
class Load:
    """One HTTP target under load: completed requests and latencies after the warm-up."""

    name: str
    accepted: int = 0
    refused: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.accepted / self.seconds if self.seconds else 0.0


@dataclass
class Pipeline:
    name: str
    workers: int
    complaints: int
    seconds: float = 0.0
    hops: list[float] = field(default_factory=list)  # under the burst of ``complaints``
    quiet_hops: list[float] = field(default_factory=list)  # one case (or chain) at a time
    deliveries: dict[str, int] = field(default_factory=dict)  # the notifier's, by status

    @property
    def rate(self) -> float:
        return self.complaints / self.seconds if self.seconds else 0.0


@dataclass
class Report:
    intake: Load | None = None
    bare_api: Load | None = None
    pipelines: list[tuple[Pipeline, Pipeline]] = field(default_factory=list)
    memory: dict[str, tuple[float, float]] = field(default_factory=dict)  # MiB at rest, peak
    cpu_per_complaint: dict[str, float] = field(default_factory=dict)  # seconds, first pipeline
    database: str = ""
    broker: str = ""


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# --- the parts ----------------------------------------------------------------------------------


@contextmanager
def broker(workdir: Path) -> Iterator[str]:
    """This machine's Redis (db 14, emptied before and after) when configured, else a private
    one."""
    configured = os.environ.get("PENGADUAN_TEST_REDIS_URL")
    if configured:
        with emptied_redis_db(f"{configured.rstrip('/')}/{BENCH_REDIS_DB}") as url:
            yield url
        return
    server = RedisServer(workdir / "redis")
    server.start()
    try:
        yield f"{server.url}/0"
    finally:
        server.stop()


@contextmanager
def delivery_sinks(logs: Path) -> Iterator[dict[str, str]]:
    """A real SMTP server (aiosmtpd, discarding what it accepts) and a real SMS gateway (the
    tests' JSON webhook), each a process of its own; the settings that send the desk's email
    and SMS to them."""
    smtp_port, sms_port = free_port(), free_port()
    smtp = ServiceProcess(
        "smtp-sink",
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}",
         "-c", "aiosmtpd.handlers.Sink"],
        dict(os.environ), logs,
    ).start()  # fmt: skip
    sms = ServiceProcess(
        "sms-gateway", [sys.executable, "-m", "tools.harness.sms_gateway", str(sms_port)],
        dict(os.environ), logs,
    ).start()  # fmt: skip
    try:
        sms_url = f"http://127.0.0.1:{sms_port}/sms"
        wait_for(lambda: _accepts(smtp_port), 30, "the SMTP sink")
        wait_for(lambda: _accepts(sms_port), 30, "the SMS gateway")
        yield {"smtp_host": "127.0.0.1", "smtp_port": str(smtp_port), "sms_gateway_url": sms_url}
    finally:
        smtp.stop()
        sms.stop()


def _accepts(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def uvicorn(
    name: str, factory: str, env: dict[str, str], logs: Path, workers: int
) -> tuple[ServiceProcess, str]:
    port = free_port()
    argv = [
        sys.executable, "-m", "uvicorn", "--factory", factory,
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    process = ServiceProcess(name, argv, env, logs).start()
    url = f"http://127.0.0.1:{port}"
    process.wait_until_answers(f"{url}/healthz")
    return process, url


def celery_worker(
    name: str, app: str, queues: str, env: dict[str, str], logs: Path, node: str
) -> ServiceProcess:
    argv = [
        sys.executable, "-m", "celery", "-A", app, "worker", "-Q", queues,
        "-c", "1", "-P", "prefork", "--loglevel", "WARNING", "-n", f"{node}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    return ServiceProcess(name, argv, env, logs).start()


def wait_ready(broker_url: str, nodes: list[str], timeout: float = 90) -> None:
    """Until every named worker answers a ping (its log level hides the "ready" line)."""
    from celery import Celery  # noqa: PLC0415 - a client only for the ping

    client = Celery(broker=broker_url)
    try:

        def answered() -> bool:
            replies = client.control.ping(timeout=1.0) or []
            seen = {name.split("@")[0] for reply in replies for name in reply}
            return set(nodes) <= seen

        wait_for(answered, timeout, f"workers {nodes} to answer")
    finally:
        client.close()


@contextmanager
def configured_as(env: dict[str, str]) -> Iterator[None]:
    """This process's settings from ``env``'s ``PENGADUAN_*`` variables, while it lasts."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("PENGADUAN_")}
    for key in saved:
        del os.environ[key]
    os.environ.update({k: v for k, v in env.items() if k.startswith("PENGADUAN_")})
    get_settings.cache_clear()
    try:
        yield
    finally:
        for key in [k for k in os.environ if k.startswith("PENGADUAN_")]:
            del os.environ[key]
        os.environ.update(saved)
        get_settings.cache_clear()


class Memory:
    """Resident memory of each process and its children: at rest, then the peak while sampling;
    and the CPU time each used while sampling (what a complaint costs each process)."""

    def __init__(self) -> None:
        self.processes: dict[str, ServiceProcess] = {}
        self.at_rest: dict[str, float] = {}
        self.peak: dict[str, float] = {}
        self.cpu_from: dict[str, float] = {}
        self.cpu_used: dict[str, float] = {}  # seconds, user and system
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @staticmethod
    def _tree(process: ServiceProcess) -> list[psutil.Process]:
        if process.process is None:
            return []
        try:
            root = psutil.Process(process.process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    @classmethod
    def rss(cls, process: ServiceProcess) -> float:
        try:
            return float(sum(p.memory_info().rss for p in cls._tree(process)) / 2**20)
        except psutil.NoSuchProcess:
            return 0.0

    @classmethod
    def cpu(cls, process: ServiceProcess) -> float:
        try:
            return sum(sum(p.cpu_times()[:2]) for p in cls._tree(process))
        except psutil.NoSuchProcess:
            return 0.0

    def watch(self, name: str, process: ServiceProcess) -> None:
        self.processes[name] = process

    def rest(self) -> None:
        for name, process in self.processes.items():
            self.at_rest[name] = self.rss(process)

    def start(self) -> None:
        self.cpu_from = {name: self.cpu(process) for name, process in self.processes.items()}
        self._stop.clear()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the sampling (once: later calls, after later runs, change nothing)."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._thread = None
        for name, process in self.processes.items():
            self.cpu_used[name] = self.cpu(process) - self.cpu_from.get(name, 0.0)

    def _sample(self) -> None:
        while not self._stop.wait(0.25):
            for name, process in self.processes.items():
                self.peak[name] = max(self.peak.get(name, 0.0), self.rss(process))


# --- intake ----------------------------------------------------------------------------------


def complaint(number: int) -> bytes:
    return json.dumps(
        {
            "reporter": {
                "name": "Budi Santoso",
                "email": f"budi.{number}@example.id",
                "phone": "081234567890",
            },
            "subject": f"Izin usaha belum terbit ({number})",
            "description": "Permohonan izin usaha kami sudah tiga minggu belum ada kabar.",
            "channels": ["email", "sms"],
        }
    ).encode()


async def _hammer(url: str, config: Config, load: Load, tick: Callable[[], None]) -> None:
    body = complaint(0)
    target = f"{url}/api/v1/complaints"
    headers = {"Content-Type": "application/json"}
    started = time.perf_counter()
    measure_from = started + config.warmup
    until = measure_from + config.seconds
    # A new connection per request, as a citizen's filing is: kept-alive connections would stay
    # with whichever uvicorn process accepted them first and leave the others idle.
    connector = aiohttp.TCPConnector(limit=config.concurrency, force_close=True)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one_client() -> None:
            while (now := time.perf_counter()) < until:
                async with session.post(target, data=body, headers=headers) as r:
                    await r.read()
                    done = time.perf_counter()
                if now < measure_from:
                    continue
                if r.status == 202:
                    load.accepted += 1
                    load.latencies.append(done - now)
                else:
                    load.refused.add(str(r.status))
                tick()

        await asyncio.gather(*(one_client() for _ in range(config.concurrency)))
    load.seconds = config.seconds


def hammer(name: str, url: str, config: Config, progress: Progress) -> Load:
    load = Load(name)
    task = progress.add_task(f"{name}: {config.concurrency} clients", total=config.seconds)
    started = time.perf_counter() + config.warmup

    def tick() -> None:
        progress.update(
            task, completed=max(0.0, min(config.seconds, time.perf_counter() - started))
        )

    asyncio.run(_hammer(url, config, load, tick))
    progress.update(task, completed=config.seconds)
    return load


# --- pipeline --------------------------------------------------------------------------------


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
                        payload=STEP_INPUTS[step],
                    )  # fmt: skip
            except Exception as exc:  # a conflict with a stale read: the next loop reads again
                errors.add(type(exc).__name__)


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


# --- the run ---------------------------------------------------------------------------------


def run(config: Config, console: Console) -> Report:
    report = Report()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
    )
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="pengaduan-bench-") as tmp:
        workdir = Path(tmp)
        logs = workdir / "logs"
        logs.mkdir()
        broker_url = stack.enter_context(broker(workdir))
        pool = stack.enter_context(
            database_pool(os.environ.get("PENGADUAN_TEST_DATABASE_URL"), workdir / "db")
        )
        (workdir / "db").mkdir(exist_ok=True)
        report.database = (
            "PostgreSQL" if os.environ.get("PENGADUAN_TEST_DATABASE_URL") else "SQLite"
        )
        report.broker = (
            "Redis (this machine's)"
            if os.environ.get("PENGADUAN_TEST_REDIS_URL")
            else "Redis (private)"
        )
        sinks = stack.enter_context(delivery_sinks(logs))
        env = service_environment(
            workdir / "var", broker_url, fresh_set(pool),
            filing_limit="100000000/minute", tracking_limit="100000000/minute", **sinks,
        )  # fmt: skip
        memory = Memory()
        with Progress(*columns, console=console) as progress:
            # Intake: the real API, then the bare one, one after the other on the same cores.
            api, url = uvicorn(
                "api-intake", "services.intake.api.app:create_app", env, logs, config.web_workers
            )
            try:
                report.intake = hammer("intake API", url, config, progress)
            finally:
                api.stop()
            bare, bare_url = uvicorn(
                "bare-api", "tools.bench.bare_api:create_app", env, logs, config.web_workers
            )
            try:
                report.bare_api = hammer("bare FastAPI", bare_url, config, progress)
            finally:
                bare.stop()
            for workers in config.scale:
                desk = run_pipeline(workers, config, env, pool, logs, progress, memory)
                chain = run_bare_chain(workers, config, env, logs, progress)
                report.pipelines.append((desk, chain))
        report.memory = {
            name: (memory.at_rest.get(name, 0.0), memory.peak.get(name, 0.0))
            for name in memory.processes
        }
        if report.pipelines:
            carried = report.pipelines[0][0].complaints + config.single
            report.cpu_per_complaint = {
                name: used / carried for name, used in memory.cpu_used.items() if carried
            }
    return report


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    model = (
        re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        if Path("/proc/cpuinfo").exists()
        else None
    )
    return (
        f"{model.group(1).strip() if model else cpu}, {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _times(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b else "-"


def _share(a: float, b: float) -> str:
    return f"{a / b:.0%}" if b else "-"


def _latency_rows(what: str, ours: list[float], bare: list[float]) -> list[tuple[str, ...]]:
    return [
        (f"{what} p{int(q * 100)}", ms(percentile(ours, q)), ms(percentile(bare, q)),
         _times(percentile(ours, q), percentile(bare, q)))
        for q in (0.5, 0.99)
    ]  # fmt: skip


def figures(report: Report) -> list[tuple[str, ...]]:
    """(what, the desk, the baseline, ratio) rows."""
    rows: list[tuple[str, ...]] = []
    if report.intake and report.bare_api:
        i, b = report.intake, report.bare_api
        rows.append(
            ("intake: complaints accepted per second", f"{i.rate:.0f}", f"{b.rate:.0f}",
             _share(i.rate, b.rate))
        )  # fmt: skip
        rows += _latency_rows("intake: latency", i.latencies, b.latencies)
    for desk, chain in report.pipelines:
        n = f"pipeline, {desk.workers} workflow worker process(es)"
        rows.append(
            (f"{n}: complaints through five steps per second", f"{desk.rate:.1f}",
             f"{chain.rate:.1f}", _share(desk.rate, chain.rate))
        )  # fmt: skip
        rows += _latency_rows(
            f"{n}: per-hop latency, one case at a time,", desk.quiet_hops, chain.quiet_hops
        )
        rows += _latency_rows(f"{n}: per-hop latency in the burst,", desk.hops, chain.hops)
    return rows


def show(report: Report, config: Config, console: Console) -> None:
    table = Table(title="make bench")
    for column in ("what", "the desk", "bare baseline", "ratio"):
        table.add_column(column, justify="left" if column == "what" else "right")
    for row in figures(report):
        table.add_row(*row)
    console.print(table)
    memory = Table(title="each service process, its pool children included")
    for column in PROCESS_COLUMNS:
        memory.add_column(column, justify="left" if column == "process" else "right")
    for row in process_rows(report):
        memory.add_row(*row)
    console.print(memory)
    console.print(f"email and SMS deliveries as the last case closed: {_deliveries(report)}")


PROCESS_COLUMNS = (
    "process",
    "resident memory at rest (MiB)",
    "peak under load (MiB)",
    "CPU per complaint through five steps (ms)",
)


def process_rows(report: Report) -> list[tuple[str, ...]]:
    cpu = report.cpu_per_complaint
    return [
        (name, f"{rest:.0f}", f"{peak:.0f}", f"{cpu.get(name, 0.0) * 1000:.0f}")
        for name, (rest, peak) in report.memory.items()
    ]


def markdown(report: Report, config: Config) -> str:
    lines = [
        START,
        f"Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; "
        f"{report.database}, {report.broker}.",
        f"Intake: {config.concurrency} concurrent clients for {config.seconds:.0f} s after a "
        f"{config.warmup:.0f} s warm-up, {config.web_workers} uvicorn process(es) each. Pipeline: "
        f"{config.single} complaints one at a time, then {config.complaints} at once, per run; "
        f"email to a real SMTP server, SMS to a real HTTP gateway (deliveries as the last case "
        f"closed: {_deliveries(report)}).",
        "",
        "| what | the desk | bare baseline | ratio |",
        "|---|---:|---:|---:|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in figures(report)),
        "",
        f"| {' | '.join(PROCESS_COLUMNS)} |",
        "|---|---:|---:|---:|",
        *(f"| {' | '.join(row)} |" for row in process_rows(report)),
        END,
    ]
    return "\n".join(lines)


def _deliveries(report: Report) -> str:
    totals: Counter = Counter()
    for desk, _ in report.pipelines:
        for status, count in desk.deliveries.items():
            totals[status] = totals.get(status, 0) + count
    return ", ".join(f"{count} {status}" for status, count in sorted(totals.items())) or "none"


def write(report: Report, config: Config, doc: Path = DOC) -> None:
    """Replace the figures between the markers; the hand-written rest of the page stays."""
    text = doc.read_text() if doc.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    doc.write_text(before + markdown(report, config) + after)


def parse(argv: list[str]) -> Config:
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--complaints", type=int, default=200)
    parser.add_argument("--single", type=int, default=20, help="one at a time, before the burst")
    parser.add_argument("--scale", default="1,2", help="workflow worker processes per run")
    parser.add_argument("--web-workers", type=int, default=Config().web_workers)
    parser.add_argument("--no-write", action="store_true", help="leave docs/BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    return Config(
        seconds=args.seconds,
        warmup=args.warmup,
        concurrency=args.concurrency,
        complaints=args.complaints,
        single=args.single,
        scale=tuple(int(n) for n in args.scale.split(",")),
        web_workers=args.web_workers,
        write=not args.no_write,
    )


def main(argv: list[str] | None = None) -> int:
    config = parse(sys.argv[1:] if argv is None else argv)
    console = Console()
    report = run(config, console)
    show(report, config, console)
    if config.write:
        write(report, config)
        console.print(f"figures written to {DOC.relative_to(PROJECT_ROOT)}")
    complete = all(desk.complaints == config.complaints for desk, _ in report.pipelines)
    return 0 if complete and report.intake and report.intake.accepted else 1


if __name__ == "__main__":
    sys.exit(main())
