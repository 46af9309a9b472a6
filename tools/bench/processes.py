"""The processes a bench run starts (the broker, the SMTP and SMS sinks, uvicorn, Celery
workers) and what it reads off them: readiness, memory and CPU time."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

from shared.runtime.settings import get_settings
from tools.harness.environment import emptied_redis_db
from tools.harness.processes import ServiceProcess, wait_for
from tools.harness.redis_server import RedisServer, free_port

BENCH_REDIS_DB = 14


@contextmanager
def broker(workdir: Path, db: int = BENCH_REDIS_DB) -> Iterator[str]:
    """This machine's Redis (db ``db``, emptied before and after) when configured, else a
    private one."""
    configured = os.environ.get("PENGADUAN_TEST_REDIS_URL")
    if configured:
        with emptied_redis_db(f"{configured.rstrip('/')}/{db}") as url:
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
    name: str, app: str, queues: str, env: dict[str, str], logs: Path, node: str,
    include: str | None = None,
) -> ServiceProcess:  # fmt: skip
    """``include``: a module more for the worker to import (Celery's ``-I``)."""
    argv = [
        sys.executable, "-m", "celery", "-A", app, "worker", "-Q", queues,
        "-c", "1", "-P", "prefork", "--loglevel", "WARNING", "-n", f"{node}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        *(["-I", include] if include else []),
    ]  # fmt: skip
    return ServiceProcess(name, argv, env, logs).start()


def stop_all(processes: list[ServiceProcess]) -> None:
    """Stop every process, all told at once (SIGTERM to each group) and then awaited, so their
    warm shutdowns run side by side rather than one after the other."""
    for process in processes:
        if process.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.process.pid, signal.SIGTERM)
    for process in processes:
        process.stop()


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
