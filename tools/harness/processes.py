"""Real service processes for journey tests and the bench and chaos runners: Celery workers and
uvicorn servers."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tools.harness.redis_server import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]

WORKER_QUEUES = {
    "intake": "intake",
    "workflow": "admin,kasi,koordinator,tim_koordinasi",
    "notifier": "notifier",
}


def _die_with_parent() -> None:
    """Linux: SIGKILL this child when the test process dies, so no worker outlives its test run
    (an orphaned worker would keep consuming from the shared test Redis db)."""
    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def wait_for(
    condition: Callable[[], object], timeout: float = 60, what: str = "condition"
) -> object:
    """Poll until ``condition()`` is truthy; the awaited condition, never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.1)


class ServiceProcess:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.argv = argv
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self._log_offset = 0

    def start(self) -> ServiceProcess:
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.argv,
            env=self.env,
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL takes the pool children too
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - only prctl, safe in a child before exec
        )
        log.close()
        return self

    def output(self) -> str:
        if not self.log_path.exists():
            return ""
        with self.log_path.open("rb") as fh:
            fh.seek(self._log_offset)
            return fh.read().decode(errors="replace")

    def wait_for_output(self, text: str, timeout: float = 60) -> None:
        def seen() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.output()[-4000:]}")
            return text in self.output()

        try:
            wait_for(seen, timeout, f"{self.name} to print {text!r}")
        except TimeoutError as exc:
            # What the process did print is what tells a slow machine from a lost message.
            raise TimeoutError(f"{exc}; its output ends:\n{self.output()[-4000:]}") from None

    def wait_until_answers(self, url: str, timeout: float = 60) -> None:
        """Poll ``url`` until it answers 200; fail at once if the process dies meanwhile."""

        def answers() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.output()[-4000:]}")
            try:
                return httpx.get(url, timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(answers, timeout, f"{self.name} to answer {url}")

    def kill(self) -> None:
        """SIGKILL the whole process group: no warm shutdown, no chance to requeue."""
        if self.process is not None:
            # A process that already exited (and its group with it) has nothing left to kill.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)
            self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            self.kill()
        self.process = None


def worker(
    service: str,
    env: dict[str, str],
    log_dir: Path,
    extra_env: dict[str, str] | None = None,
    name: str | None = None,
) -> ServiceProcess:
    """A worker of ``service``; ``name`` (its node name and log's) tells a second worker of the
    same queues from the first."""
    name = name or service
    argv = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        f"services.{service}.worker",
        "worker",
        "-Q",
        WORKER_QUEUES[service],
        "-c",
        "1",
        "-P",
        "prefork",
        "--loglevel",
        "INFO",
        "-n",
        f"{name}@%h",
        "--without-gossip",
        "--without-mingle",
    ]
    return ServiceProcess(f"worker-{name}", argv, {**env, **(extra_env or {})}, log_dir)


def beat(env: dict[str, str], log_dir: Path) -> ServiceProcess:
    """Celery beat, sending the sweeps of ``shared.messaging.celery_app.beat_schedule``; its
    schedule file lives in ``log_dir`` (one beat per test: each starts its schedule afresh)."""
    argv = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "shared.process.beat_app",
        "beat",
        "-s",
        str(log_dir / "celerybeat-schedule"),
        "--loglevel",
        "INFO",
    ]
    return ServiceProcess("beat", argv, env, log_dir)


class ApiProcess(ServiceProcess):
    def __init__(self, service: str, env: dict[str, str], log_dir: Path) -> None:
        self.port = free_port()
        argv = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            f"services.{service}.api.app:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "warning",
        ]
        super().__init__(f"api-{service}", argv, env, log_dir)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ApiProcess:
        super().start()
        self.wait_until_answers(f"{self.url}/healthz")
        return self


def start_worker(service: str, env: dict[str, str], log_dir: Path, **kw: Any) -> ServiceProcess:
    proc = worker(service, env, log_dir, **kw).start()
    proc.wait_for_output("ready.", timeout=90)
    return proc
