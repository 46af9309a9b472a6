"""The chaos suite: the whole complaint desk as separate processes, a stream of complaints walked
through the five SOP steps by scripted staff, and a seeded fault injector killing workers,
restarting and stopping Redis, taking the SMTP server and the SMS gateway down and delivering
messages twice. At the end every complaint must have been answered exactly once.

    python -m tools.chaos --complaints 500 --faults 60 [--seed N] [--redis-outage 30]

It runs on PostgreSQL when ``PENGADUAN_TEST_DATABASE_URL`` is set (fresh databases), on SQLite
otherwise, always with a private Redis (append-only file on, as in docker-compose). Exit status 0
only when nothing was lost, nothing doubled and no case is stuck.
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, inspect, text

from shared.messaging.celery_app import ALL_QUEUES, make_celery
from shared.runtime.settings import Settings
from shared.sop import STEPS, Role
from tests.support.chaos_servers import RestartableGateway, RestartableSmtpServer
from tests.support.databases import database_pool, fresh_set
from tests.support.desk import STEP_INPUTS, Desk
from tests.support.environment import service_environment
from tests.support.processes import ApiProcess, ServiceProcess, beat, worker
from tests.support.redis_server import RedisServer

log = logging.getLogger("chaos")

FAULT_TYPES = (
    "kill-worker",
    "restart-redis",
    "redis-outage",
    "smtp-outage",
    "sms-outage",
    "duplicate-delivery",
)
KINDS = ("filed", "registered", "verified", "answer")
WORKERS = ("intake", "workflow", "notifier")
TRANSIENT = (httpx.TransportError,)


@dataclass
class Config:
    complaints: int = 500
    faults: int = 60
    seed: int | None = None
    redis_outage: float = 30.0  # seconds Redis stays stopped in a redis-outage fault
    provider_outage: float = 15.0  # seconds the SMTP server / SMS gateway stays down
    fault_gap: tuple[float, float] = (1.0, 6.0)  # pause between two faults
    file_interval: float = 0.25  # pause between two filings
    staff_per_role: int = 3  # concurrent hands per role
    settle_timeout: float = 600.0  # how long to wait for quiet at the end
    workdir: Path | None = None
    keep: bool = False  # keep the work directory (logs, databases, Redis AOF)


@dataclass
class Results:
    seed: int
    complaints_accepted: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    filing_errors: Counter[str] = field(default_factory=Counter)
    staff_errors: Counter[str] = field(default_factory=Counter)
    conflicts_after_retry: int = 0  # 409 for a retried completion: the earlier try had succeeded
    conflicts_stale: int = 0  # 409 on a first try: the worklist read was stale
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    at_least_once: list[str] = field(default_factory=list)  # the documented window, explained
    stuck: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)  # workers that exited by themselves
    emails: int = 0
    sms: int = 0
    seconds: float = 0.0
    settled: bool = False
    workdir: str = ""

    @property
    def ok(self) -> bool:
        return self.settled and not (self.lost or self.duplicated or self.stuck)


# --- the system ------------------------------------------------------------------------------


def _stop_all(processes: list[Any]) -> None:
    for process in processes:
        process.stop()


class System:
    """Every part as a process (or server) of its own, which the injector may stop and start."""

    def __init__(self, workdir: Path, stack: ExitStack) -> None:
        self.workdir = workdir
        self.logs = workdir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.redis = RedisServer(workdir / "redis")
        self.redis.start()
        stack.callback(self.redis.stop)
        self.broker_url = f"{self.redis.url}/0"
        pool = stack.enter_context(
            database_pool(os.environ.get("PENGADUAN_TEST_DATABASE_URL"), workdir / "db")
        )
        (workdir / "db").mkdir(exist_ok=True)
        self.database_urls = fresh_set(pool)
        self.smtp = RestartableSmtpServer()
        self.smtp.start()
        stack.callback(self.smtp.stop)
        self.gateway = RestartableGateway()
        self.gateway.start()
        stack.callback(self.gateway.stop)
        self.env = service_environment(
            workdir / "var",
            self.broker_url,
            self.database_urls,
            smtp_host="127.0.0.1",
            smtp_port=str(self.smtp.port),
            smtp_timeout_seconds="5",
            sms_gateway_url=self.gateway.url,
            sms_gateway_token="rahasia-gateway-chaos",
            sms_timeout_seconds="5",
            broker_visibility_timeout="6",
            broker_restore_interval="1",
            # The outbox's second copy of each message, at the suite's time scale (production:
            # 120 s beside a 300 s visibility timeout).
            outbox_redrive_seconds="10",
            # The delivery sweep (a lost Celery retry), at the same scale: beat sends it every
            # 2 s, and a delivery with no try for 90 s (the least allowed: above the 60 s retry
            # backoff cap) counts as lost.
            delivery_sweep_seconds="2",
            delivery_stale_seconds="90",
            notify_staff_on_arrival="false",
            # The stream files from one address: the citizens' rate limits must not refuse it.
            filing_limit="1000000/minute",
            tracking_limit="1000000/minute",
        )
        self.lock = threading.Lock()
        self.apis = [
            ApiProcess("intake", self.env, self.logs).start(),
            ApiProcess("workflow", self.env, self.logs).start(),
        ]
        stack.callback(_stop_all, self.apis)
        self.workers: dict[str, ServiceProcess] = {}
        for name in WORKERS:
            self.workers[name] = worker(name, self.env, self.logs).start()
        for process in self.workers.values():
            process.wait_for_output("ready.", timeout=90)
        stack.callback(lambda: _stop_all(list(self.workers.values())))
        # Celery beat sends the sweeps, as in docker-compose; supervised like the workers.
        self.workers["beat"] = beat(self.env, self.logs).start()
        self.workers["beat"].wait_for_output("beat: Starting", timeout=60)
        self.desk = Desk(self.apis[0], self.apis[1], self.workers, self.env, self.logs, self.smtp)
        stack.callback(self.desk.close)
        for role in Role:
            self.desk.headers(role)  # log every role in before any fault

    def kill_and_restart(self, name: str, down: float) -> None:
        with self.lock:
            self.workers[name].kill()
            time.sleep(down)
            self._start(name)

    def _start(self, name: str) -> None:
        if name == "beat":
            self.workers[name] = beat(self.env, self.logs).start()
            self.workers[name].wait_for_output("beat: Starting", timeout=60)
            return
        restarted = worker(name, self.env, self.logs).start()
        self.workers[name] = restarted
        restarted.wait_for_output("ready.", timeout=120)

    def supervise(self, stop: threading.Event, crashes: list[str]) -> None:
        """Start again a worker that exited by itself, as compose's ``restart: unless-stopped``
        does; each such exit is noted in ``crashes`` with the worker's last critical line."""
        while not stop.wait(0.5):
            with self.lock:
                for name, process in list(self.workers.items()):
                    if process.process is None or process.process.poll() is None:
                        continue
                    last = [line for line in process.output().splitlines() if "CRITICAL" in line]
                    crashes.append(
                        f"{name} worker exited by itself ({process.process.returncode}): "
                        f"{last[-1][:300] if last else 'no critical line'}"
                    )
                    self._start(name)


# --- the complainants and the staff ----------------------------------------------------------


def complaint_body(number: int) -> dict[str, Any]:
    return {
        "reporter": {
            "name": f"Pengadu Uji {number}",
            "email": f"pengadu{number}@example.id",
            "phone": f"+62812{number:08d}",
        },
        "subject": f"Izin usaha belum terbit ({number})",
        "description": "Permohonan izin usaha kami sudah tiga minggu belum ada kabar.",
        "channels": ["email", "sms"],
    }


class Stream:
    """Files ``count`` complaints, one every ``interval`` seconds, retrying a filing that got
    no answer or a 5xx (the citizen presses the button again)."""

    def __init__(self, url: str, count: int, interval: float, results: Results) -> None:
        self.client = httpx.Client(base_url=url, timeout=15)
        self.count = count
        self.interval = interval
        self.results = results
        self.accepted: list[str] = []
        self.uncertain = 0  # filings that got no answer: perhaps accepted, perhaps not

    def run(self, stop: threading.Event, progress: Callable[[], float] = lambda: 1.0) -> None:
        """``progress``: the share of faults begun (the one under way included); filings are
        spread over the faults, so complaints keep arriving through every one of them."""
        for number in range(self.count):
            while not stop.is_set() and number / self.count > progress():
                time.sleep(0.1)
            if stop.is_set():
                return
            self._file(number, stop)
            time.sleep(self.interval)

    def _file(self, number: int, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                response = self.client.post("/api/v1/complaints", json=complaint_body(number))
            except TRANSIENT as exc:
                self.results.filing_errors[type(exc).__name__] += 1
                self.uncertain += 1
                time.sleep(0.5)
                continue
            if response.status_code == 202:
                self.accepted.append(response.json()["tracking_code"])
                return
            self.results.filing_errors[str(response.status_code)] += 1
            if response.status_code < 500:
                log.error("filing %d refused: %s %s", number, response.status_code, response.text)
                return
            time.sleep(0.5)


class Staff:
    """Each role's people: they read their worklist and complete what is on it, several cases
    at once, retrying a completion that got no answer or a 5xx."""

    def __init__(self, desk: Desk, per_role: int, results: Results) -> None:
        self.desk = desk
        self.per_role = per_role
        self.results = results
        self.lock = threading.Lock()
        self.in_hand: set[tuple[str, int]] = set()
        self.completed: Counter[tuple[str, int]] = Counter()

    def run(self, stop: threading.Event) -> None:
        roles = sorted({step.role for step in STEPS}, key=lambda r: r.value)
        with ThreadPoolExecutor(len(roles) * self.per_role) as pool:
            threads = [
                threading.Thread(target=self._role, args=(role, pool, stop), daemon=True)
                for role in roles
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

    def _role(self, role: Role, pool: ThreadPoolExecutor, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                response = self.desk.workflow.get(
                    "/api/v1/worklist", headers=self.desk.headers(role)
                )
            except TRANSIENT as exc:
                self._error(f"worklist {type(exc).__name__}")
                time.sleep(0.5)
                continue
            if response.status_code != 200:
                self._error(f"worklist {response.status_code}")
                time.sleep(0.5)
                continue
            for item in response.json():
                key = (item["case_id"], item["step"])
                with self.lock:
                    if key in self.in_hand or key in self.completed:
                        continue
                    self.in_hand.add(key)
                pool.submit(self._complete, role, item["case_id"], item["step"], stop)
            time.sleep(0.2)

    def _complete(self, role: Role, case_id: str, step: int, stop: threading.Event) -> None:
        tries = 0
        try:
            while not stop.is_set():
                tries += 1
                try:
                    response = self.desk.complete(role, case_id, step, STEP_INPUTS[step])
                except TRANSIENT as exc:
                    self._error(f"complete {type(exc).__name__}")
                    time.sleep(0.5)
                    continue
                if response.status_code == 202:
                    break
                if response.status_code == 409:
                    with self.lock:
                        if tries > 1:
                            self.results.conflicts_after_retry += 1
                        else:
                            self.results.conflicts_stale += 1
                    break
                self._error(f"complete {response.status_code}")
                if response.status_code < 500:
                    log.error("step %d of %s refused: %s", step, case_id, response.text)
                    return
                time.sleep(0.5)
            with self.lock:
                self.completed[(case_id, step)] += 1
        finally:
            with self.lock:
                self.in_hand.discard((case_id, step))

    def _error(self, what: str) -> None:
        with self.lock:
            self.results.staff_errors[what] += 1


# --- the fault injector ----------------------------------------------------------------------


class Tap:
    """Keeps a copy of messages seen waiting on the queues, for delivering one again later."""

    def __init__(self, broker_url: str) -> None:
        self.client = redis.Redis.from_url(broker_url, socket_timeout=1, socket_connect_timeout=1)
        self.seen: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                for queue in ALL_QUEUES:
                    for raw in self.client.lrange(queue, 0, 20):
                        message = json.loads(raw)
                        with self.lock:
                            self.seen.setdefault(message["headers"]["id"], message)
            except redis.RedisError:
                time.sleep(0.5)
            time.sleep(0.05)

    def pick(self, rng: random.Random) -> dict[str, Any] | None:
        with self.lock:
            ids = sorted(self.seen)
            return self.seen[rng.choice(ids)] if ids else None


class Injector:
    def __init__(self, system: System, config: Config, results: Results, rng: random.Random):
        self.system = system
        self.config = config
        self.results = results
        self.rng = rng
        self.tap = Tap(system.broker_url)
        self.celery = make_celery(
            Settings(broker={"redis_url": system.broker_url, "visibility_timeout": 6})
        )
        self.console = Console(stderr=True)
        self.begun = 0
        self.finished = threading.Event()

    def progress(self) -> float:
        """The share of the faults begun, counting the next as begun (1.0 with none planned)."""
        return min(1.0, (self.begun + 1) / self.config.faults) if self.config.faults else 1.0

    def close(self) -> None:
        self.tap_thread.join(10)
        self.tap.client.close()
        self.celery.close()

    def plan(self) -> list[str]:
        """Each fault type once (every worker killed once), then random ones, killing weighed
        heaviest; shuffled."""
        first = ["kill-worker"] * 2 + list(FAULT_TYPES)
        rest = self.rng.choices(
            FAULT_TYPES, weights=(6, 1, 1, 1, 1, 3), k=max(0, self.config.faults - len(first))
        )
        plan = [*first, *rest][: self.config.faults]
        self.rng.shuffle(plan)
        return plan

    def run(self, stop: threading.Event) -> None:
        """Inject every planned fault, set ``finished``, then stay alive until ``stop``: the
        workers this thread started again die with it (``PR_SET_PDEATHSIG`` in
        tests/support/processes.py follows the thread that forked, not the process)."""
        self.tap_thread = threading.Thread(target=self.tap.run, args=(stop,), daemon=True)
        self.tap_thread.start()
        supervisor = threading.Thread(
            target=self.system.supervise, args=(stop, self.results.crashes), daemon=True
        )
        supervisor.start()  # lives until stop, like this thread: see run's docstring
        kills = list(WORKERS)  # the first kills take each worker once
        self.rng.shuffle(kills)
        try:
            for fault in self.plan():
                if stop.wait(self.rng.uniform(*self.config.fault_gap)):
                    return
                self.begun += 1
                detail = self.inject(fault, kills)
                self.results.faults[fault] += 1
                self.console.log(f"fault {sum(self.results.faults.values())}: {fault} {detail}")
        finally:
            self.finished.set()
        stop.wait()

    def inject(self, fault: str, kills: list[str]) -> str:
        system = self.system
        if fault == "kill-worker":
            name = kills.pop() if kills else self.rng.choice(WORKERS)
            down = self.rng.uniform(0, 2)
            system.kill_and_restart(name, down)
            return f"{name} (down {down:.1f} s)"
        if fault == "restart-redis":
            system.redis.stop()
            system.redis.start()
            return ""
        if fault == "redis-outage":
            system.redis.stop()
            time.sleep(self.config.redis_outage)
            system.redis.start()
            return f"({self.config.redis_outage:.0f} s)"
        if fault in ("smtp-outage", "sms-outage"):
            server = system.smtp if fault == "smtp-outage" else system.gateway
            server.stop()
            time.sleep(self.config.provider_outage)
            server.start()
            return f"({self.config.provider_outage:.0f} s)"
        if fault == "duplicate-delivery":
            return self.duplicate()
        raise ValueError(fault)

    def duplicate(self) -> str:
        message = None
        deadline = time.monotonic() + 30
        while message is None and time.monotonic() < deadline:
            message = self.tap.pick(self.rng)
            if message is None:
                time.sleep(0.2)
        if message is None:
            return "(no message seen yet: none sent)"
        headers = message["headers"]
        args, kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        self.celery.send_task(headers["task"], args=args, kwargs=kwargs, task_id=headers["id"])
        return f"{headers['task']} {headers['id']}"


# --- the verdict -----------------------------------------------------------------------------


def _rows(url: str, sql: str) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql)))
    finally:
        engine.dispose()


def _outbox_pending(urls: dict[str, str]) -> int:
    pending = 0
    for url in urls.values():
        engine = create_engine(url)
        try:
            if "outbox" in inspect(engine).get_table_names():
                with engine.connect() as conn:
                    pending += conn.execute(
                        text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                    ).scalar_one()
        finally:
            engine.dispose()
    return pending


def _queues(broker_url: str) -> dict[str, int]:
    client = redis.Redis.from_url(broker_url)
    try:
        depth = {queue: int(client.llen(queue)) for queue in ALL_QUEUES}
        depth["unacked"] = int(client.hlen("unacked"))
        return depth
    finally:
        client.close()


def _kind_of_email(subject: str) -> str:
    if "telah kami terima" in subject:
        return "filed"
    if "telah teregister" in subject:
        return "registered"
    if "telah diverifikasi" in subject:
        return "verified"
    if subject.startswith("Jawaban pengaduan"):
        return "answer"
    return "other"


def _kind_of_sms(text_: str) -> str:
    if "diterima dengan kode" in text_:
        return "filed"
    if "telah teregister" in text_:
        return "registered"
    if "telah diverifikasi" in text_:
        return "verified"
    if text_.startswith("Jawaban pengaduan"):
        return "answer"
    return "other"


CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{5,}")


def _code_in(text_: str, codes: set[str]) -> str | None:
    return next((c for c in CODE.findall(text_) if c in codes), None)


@dataclass
class Tally:
    """What reached the citizens, by (tracking code, kind): each copy's idempotency key."""

    emails: dict[tuple[str, str], list[str]]
    sms: dict[tuple[str, str], list[str]]
    strays: list[str]


def tally(system: System, codes: set[str]) -> Tally:
    emails: dict[tuple[str, str], list[str]] = defaultdict(list)
    sms: dict[tuple[str, str], list[str]] = defaultdict(list)
    strays: list[str] = []
    for message in list(system.smtp.inbox.messages):
        subject = str(message["Subject"])
        code = _code_in(subject, codes)
        if code is None:
            strays.append(f"email {subject!r}")
            continue
        emails[(code, _kind_of_email(subject))].append(str(message["Message-ID"]))
    for request in system.gateway.requests:
        code = _code_in(request["message"], codes)
        if code is None:
            strays.append(f"sms {request['message']!r}")
            continue
        key = request["headers"].get("Idempotency-Key", "")
        sms[(code, _kind_of_sms(request["message"]))].append(key)
    return Tally(emails, sms, strays)


def quiet(system: System, codes: set[str]) -> tuple[bool, str]:
    """Every accepted complaint answered and delivered, every queue empty, every outbox sent."""
    urls = system.database_urls
    try:
        answered = {
            row[0]
            for row in _rows(
                urls["intake"], "SELECT tracking_code FROM complaints WHERE status = 'answered'"
            )
        }
        open_cases = _rows(urls["workflow"], "SELECT count(*) FROM cases WHERE closed_at IS NULL")[
            0
        ][0]
        depth = _queues(system.broker_url)
        pending = _outbox_pending(urls)
    except Exception as exc:  # Redis or a database busy: not quiet yet
        return False, f"not readable yet: {exc}"
    t = tally(system, codes)
    delivered = sum(1 for c in codes for k in KINDS if t.emails.get((c, k)) and t.sms.get((c, k)))
    state = (
        f"answered {len(codes & answered)}/{len(codes)}, open cases {open_cases}, "
        f"delivered {delivered}/{len(codes) * len(KINDS)}, queued {sum(depth.values())}, "
        f"outbox {pending}"
    )
    done = (
        codes <= answered
        and open_cases == 0
        and delivered == len(codes) * len(KINDS)
        and not any(depth.values())
        and pending == 0
    )
    return done, state


def verdict(system: System, codes: set[str], results: Results) -> None:  # noqa: PLR0912
    urls = system.database_urls
    cases = {
        row[0]: (row[1], row[2])
        for row in _rows(urls["workflow"], "SELECT tracking_code, id, closed_at FROM cases")
    }
    events: dict[str, Counter[tuple[str, int]]] = defaultdict(Counter)
    for case_id, kind, step in _rows(
        urls["workflow"], "SELECT case_id, kind, step FROM case_events"
    ):
        events[case_id][(kind, step)] += 1
    statuses = dict(_rows(urls["intake"], "SELECT tracking_code, status FROM complaints"))
    for code in sorted(codes):
        if code not in cases:
            results.lost.append(f"{code}: no case in the workflow")
            continue
        case_id, closed_at = cases[code]
        for step in range(1, 6):
            completed = events[case_id][("completed", step)]
            arrived = events[case_id][("arrived", step)]
            if completed == 0:
                results.lost.append(f"{code}: step {step} never completed")
            elif completed > 1:
                results.duplicated.append(f"{code}: step {step} completed {completed} times")
            if arrived > 1:
                results.duplicated.append(f"{code}: arrived at step {step} {arrived} times")
        if closed_at is None:
            results.stuck.append(f"{code}: case still open")
        if statuses.get(code) != "answered":
            results.stuck.append(f"{code}: the citizen reads {statuses.get(code)!r}")
    for code in sorted(set(cases) - codes):
        results.unexpected.append(f"{code}: a case nobody was told was accepted")
    t = tally(system, codes)
    results.emails = sum(len(v) for v in t.emails.values())
    results.sms = sum(len(v) for v in t.sms.values())
    for channel, got in (("email", t.emails), ("sms", t.sms)):
        for code in sorted(codes):
            for kind in KINDS:
                copies = got.get((code, kind), [])
                if not copies:
                    results.lost.append(f"{code}: no {kind} {channel}")
                elif len(copies) > 1 and len(set(copies)) == 1:
                    # The same Message-ID / Idempotency-Key: the documented at-least-once window
                    # (provider accepted, worker died before its commit), not a second effect.
                    results.at_least_once.append(
                        f"{code}: {kind} {channel} sent {len(copies)} times with one key"
                    )
                elif len(copies) > 1:
                    results.duplicated.append(
                        f"{code}: {kind} {channel} sent {len(copies)} times, keys {set(copies)}"
                    )
        for (code, kind), copies in got.items():
            if kind not in KINDS:
                results.unexpected.append(f"{code}: {len(copies)} unexpected {channel}")
    results.unexpected.extend(t.strays)


def report(results: Results, config: Config, console: Console) -> None:
    table = Table(title=f"Chaos suite, seed {results.seed}")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("complaints accepted", str(results.complaints_accepted))
    for fault in FAULT_TYPES:
        table.add_row(f"fault: {fault}", str(results.faults[fault]))
    table.add_row("faults in all", str(sum(results.faults.values())))
    table.add_row("emails / SMS received", f"{results.emails} / {results.sms}")
    table.add_row("filing retries (by cause)", _counts(results.filing_errors))
    table.add_row("staff retries (by cause)", _counts(results.staff_errors))
    table.add_row(
        "409 after a retry (earlier try had succeeded)", str(results.conflicts_after_retry)
    )
    table.add_row("409 on a first try (stale worklist)", str(results.conflicts_stale))
    table.add_row("lost", str(len(results.lost)), style="red" if results.lost else "green")
    table.add_row(
        "duplicated", str(len(results.duplicated)), style="red" if results.duplicated else "green"
    )
    table.add_row(
        "at-least-once window (same key, see RELIABILITY)", str(len(results.at_least_once))
    )
    table.add_row("stuck", str(len(results.stuck)), style="red" if results.stuck else "green")
    table.add_row("unexpected (untracked cases, stray messages)", str(len(results.unexpected)))
    table.add_row("workers that exited by themselves (restarted)", str(len(results.crashes)))
    table.add_row("settled", "yes" if results.settled else "NO (timed out)")
    table.add_row("time", f"{results.seconds:.0f} s")
    console.print(table)
    for title, items in (
        ("lost", results.lost),
        ("duplicated", results.duplicated),
        ("at-least-once window", results.at_least_once),
        ("stuck", results.stuck),
        ("unexpected", results.unexpected),
        ("worker crash", results.crashes),
    ):
        for item in items[:50]:
            console.print(f"[bold]{title}[/bold]: {item}")
    console.print(f"seed {results.seed}; work directory {results.workdir}")


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(counter.items())) or "0"


# --- the run ---------------------------------------------------------------------------------


@contextmanager
def _workdir(config: Config) -> Iterator[Path]:
    if config.workdir is not None:
        config.workdir.mkdir(parents=True, exist_ok=True)
        yield config.workdir
        return
    path = Path(tempfile.mkdtemp(prefix="pengaduan-chaos-"))
    try:
        yield path
    finally:
        if not config.keep:
            shutil.rmtree(path, ignore_errors=True)


def run(config: Config, console: Console | None = None) -> Results:
    console = console or Console()
    seed = config.seed if config.seed is not None else random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    results = Results(seed=seed)
    console.print(
        f"[bold]chaos seed {seed}[/bold]: {config.complaints} complaints, {config.faults} faults"
    )
    started = time.monotonic()
    with _workdir(config) as workdir, ExitStack() as stack:
        results.workdir = str(workdir)
        system = System(workdir, stack)
        stop = threading.Event()
        stream = Stream(system.apis[0].url, config.complaints, config.file_interval, results)
        staff = Staff(system.desk, config.staff_per_role, results)
        injector = Injector(system, config, results, rng)
        threads = [
            threading.Thread(target=part, args=(stop,), daemon=True, name=name)
            for name, part in (
                ("stream", lambda stop: stream.run(stop, injector.progress)),
                ("staff", staff.run),
                ("injector", injector.run),
            )
        ]
        for thread in threads:
            thread.start()
        threads[0].join()
        injector.finished.wait()  # every fault injected (and the part it stopped started again)
        codes = set(stream.accepted)
        results.complaints_accepted = len(codes)
        console.print(f"stream and faults done after {time.monotonic() - started:.0f} s")
        results.settled = _settle(system, codes, config.settle_timeout, console)
        stop.set()
        threads[1].join(30)
        threads[2].join(30)
        stream.client.close()
        injector.close()
        verdict(system, codes, results)
        results.seconds = time.monotonic() - started
        if config.keep or not results.ok:
            config.keep = True
    report(results, config, console)
    return results


def _settle(system: System, codes: set[str], timeout: float, console: Console) -> bool:
    """Wait until quiet, then a while longer (a redelivery after the visibility timeout would
    come within it); at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    state = ""
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        done, state = quiet(system, codes)
        if done:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > 8:
                return True
        else:
            quiet_since = None
        time.sleep(0.5)
    console.print(f"[red]not quiet after {timeout:.0f} s[/red]: {state}")
    return False


def parse(argv: list[str]) -> Config:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=int(env("CHAOS_COMPLAINTS", "500")))
    parser.add_argument("--faults", type=int, default=int(env("CHAOS_FAULTS", "60")))
    parser.add_argument("--seed", type=int, default=int(env("CHAOS_SEED", "-1")))
    parser.add_argument("--redis-outage", type=float, default=30.0, help="seconds")
    parser.add_argument("--provider-outage", type=float, default=15.0, help="seconds")
    parser.add_argument("--file-interval", type=float, default=0.25, help="seconds")
    parser.add_argument("--staff-per-role", type=int, default=3)
    parser.add_argument("--settle-timeout", type=float, default=600.0, help="seconds")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args(argv)
    return Config(
        complaints=args.complaints,
        faults=args.faults,
        seed=None if args.seed < 0 else args.seed,
        redis_outage=args.redis_outage,
        provider_outage=args.provider_outage,
        file_interval=args.file_interval,
        staff_per_role=args.staff_per_role,
        settle_timeout=args.settle_timeout,
        workdir=args.workdir,
        keep=args.keep,
    )


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    results = run(parse(sys.argv[1:] if argv is None else argv))
    return 0 if results.ok else 1


if __name__ == "__main__":
    sys.exit(main())
