"""The APIs' compose commands, run as they are (no Docker here): uvicorn starts the right
factory with the worker processes compose asks for, every process serves, and SIGTERM stops
them all cleanly."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
import yaml

from shared.runtime.settings.project import PROJECT_ROOT
from tools.harness.processes import ServiceProcess, wait_for
from tools.harness.redis_server import free_port

COMPOSE = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())["services"]


def with_defaults(value: str) -> str:
    """``${VAR:-default}`` as compose reads it with VAR unset; a required one fails the test."""
    assert ":?" not in value, f"{value} has no default"
    return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", value)


def local_command(command: list[str], port: int) -> list[str]:
    """Compose's command, on a free loopback port, with this venv's Python."""
    args = [sys.executable, "-m", *command]
    args[args.index("--host") + 1] = "127.0.0.1"
    args[args.index("--port") + 1] = str(port)
    return args


@pytest.mark.parametrize("service", ["intake", "workflow"])
def test_the_api_command_serves_from_every_worker_process(
    service: str, service_env: dict[str, str], tmp_path: Path
) -> None:
    compose: dict[str, Any] = COMPOSE[f"{service}-api"]
    processes = int(with_defaults(compose["environment"]["WEB_CONCURRENCY"]))
    assert processes >= 2  # "uvicorn workers": more than one per API
    port = free_port()
    env = {**service_env, "WEB_CONCURRENCY": str(processes)}
    api = ServiceProcess(f"{service}-api", local_command(compose["command"], port), env, tmp_path)
    api.start()
    assert api.process is not None
    try:
        api.wait_until_answers(f"http://127.0.0.1:{port}/readyz")
        supervisor = psutil.Process(api.process.pid)

        def serving() -> list[psutil.Process]:
            # multiprocessing's spawned children; its resource tracker is a child too.
            kids = supervisor.children()
            return [kid for kid in kids if "spawn_main" in " ".join(kid.cmdline())]

        workers: list[psutil.Process] = wait_for(  # type: ignore[assignment]
            lambda: len(found := serving()) == processes and found,
            30,
            f"{processes} worker processes",
        )

        # Requests spread over the processes; each answers with the service's own document.
        titles = {
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=5).json()["info"]["title"]
            for _ in range(10)
        }
        assert len(titles) == 1
        assert ("Layanan Masyarakat" in titles.pop()) == (service == "intake")

        supervisor.send_signal(signal.SIGTERM)
        assert api.process.wait(timeout=30) == 0
        assert not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in workers)
    finally:
        api.stop()


def healthcheck_argv(service: dict[str, Any]) -> list[str]:
    """A CMD-SHELL healthcheck as the container's shell runs it (compose turns ``$$`` into ``$``),
    with this venv's celery."""
    kind, script = service["healthcheck"]["test"]
    assert kind == "CMD-SHELL"
    script = script.replace("$$", "$")
    assert script.startswith("celery ")
    return ["sh", "-c", f"{sys.executable} -m {script}"]


def test_a_workers_healthcheck_passes_while_it_runs_and_fails_once_it_stops(
    service_env: dict[str, str], tmp_path: Path
) -> None:
    compose: dict[str, Any] = COMPOSE["intake-worker"]
    hostname = socket.gethostname()
    env = {**service_env, "HOSTNAME": hostname}  # what Docker sets in every container
    probe = healthcheck_argv(compose)
    args = [sys.executable, "-m", *compose["command"]]
    assert args[args.index("-n") + 1] == "intake@%h"  # %h: Celery's hostname, as $HOSTNAME
    worker = ServiceProcess("intake-worker", args, env, tmp_path).start()
    try:
        worker.wait_for_output("ready.", timeout=90)
        passed = subprocess.run(
            probe, check=False, env=env, capture_output=True, text=True, timeout=60
        )
        assert passed.returncode == 0, passed.stdout + passed.stderr
        assert f"intake@{hostname}: OK" in passed.stdout
    finally:
        worker.stop()
    failed = subprocess.run(probe, check=False, env=env, capture_output=True, text=True, timeout=60)
    assert failed.returncode != 0
