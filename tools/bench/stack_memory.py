"""``make run`` at rest: the proportional set size (PSS) of every process it starts, the launcher
included, grouped by what each process is.

PSS rather than RSS because the stack's processes share pages (prefork pool children share their
parent's imported modules until they write to them; every Python shares the interpreter): RSS
counts a shared page once per process, PSS splits it between them, so the sum is the memory the
machine really gives the stack.

``python -m tools.bench.stack_memory`` starts ``tools.run_embedded`` as ``make run`` does, on
SQLite and a Redis of its own under a temporary data directory, on free ports; waits until both
APIs and Flower answer and every worker and beat has said it is up; waits until the total stops
moving; prints the figures; stops the stack with Ctrl-C's signal. ``make bench`` runs it first,
before its load (later, the figures would come from a machine busy with it).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

from tools.harness.processes import PROJECT_ROOT, wait_for
from tools.harness.redis_server import free_port

MIB = 2**20
# What each process of the stack says it is, in its argv; the first match names it.
KINDS = (
    ("redis-server", "redis"),
    ("services.intake.api", "intake-api"),
    ("services.workflow.api", "workflow-api"),
    ("services.intake.worker", "intake-worker"),
    ("services.workflow.worker", "workflow-worker"),
    ("services.notifier.worker", "notifier-worker"),
    ("shared.process.beat_app", "beat"),
    ("shared.process.flower_app", "flower"),
)


def kind(process: psutil.Process) -> str:
    try:
        argv = " ".join(process.cmdline())
    except psutil.Error:
        return "gone"
    if "tools.procfile" in argv or "tools.run_embedded" in argv:  # its argv names the others
        return "launcher"
    return next((name for needle, name in KINDS if needle in argv), "other")


def pss(process: psutil.Process) -> float:
    """This process's PSS in MiB; 0 for one that has just exited."""
    try:
        return float(process.memory_full_info().pss) / MIB
    except psutil.Error:
        return 0.0


def tree(root: psutil.Process) -> list[psutil.Process]:
    try:
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def measure(root: psutil.Process, *, each: bool = False) -> dict[str, dict[str, float]]:
    """Per kind of process (or per process, ``each``): how many, their PSS and RSS summed
    (MiB); and ``total``."""
    found: dict[str, dict[str, float]] = {}
    for process in tree(root):
        name = f"{kind(process)} {process.pid}" if each else kind(process)
        row = found.setdefault(name, {"processes": 0, "pss": 0.0, "rss": 0.0})
        row["processes"] += 1
        row["pss"] += pss(process)
        with contextlib.suppress(psutil.Error):
            row["rss"] += float(process.memory_info().rss) / MIB
    total = {key: sum(row[key] for row in found.values()) for key in ("processes", "pss", "rss")}
    return {**dict(sorted(found.items())), "total": total}


def environment(data_dir: Path) -> tuple[dict[str, str], dict[str, int]]:
    """``make run``'s environment without a ``PENGADUAN_*`` of this machine's: the embedded
    default (SQLite, a Redis of its own) under ``data_dir``, every port a free one."""
    ports = {
        "INTAKE_PORT": free_port(),
        "WORKFLOW_PORT": free_port(),
        "FLOWER_PORT": free_port(),
        "EMBEDDED_REDIS_PORT": free_port(),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PENGADUAN_")}
    env["PENGADUAN_DATA_DIR"] = str(data_dir)
    env |= {f"PENGADUAN_{name}": str(port) for name, port in ports.items()}
    return env, ports


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def wait_ready(launcher: subprocess.Popen[bytes], log: Path, ports: dict[str, int]) -> None:
    def up() -> bool:
        if launcher.poll() is not None:
            raise RuntimeError(f"make run exited early:\n{log.read_text()[-4000:]}")
        text = log.read_text(errors="replace")
        workers = text.count(" ready.") >= 3  # the three workers' nodes
        beat = "beat: Starting" in text
        return (
            workers
            and beat
            and all(
                answers(f"http://127.0.0.1:{ports[name]}{path}")
                for name, path in (("INTAKE_PORT", "/healthz"), ("WORKFLOW_PORT", "/healthz"))
            )
            and answers(f"http://127.0.0.1:{ports['FLOWER_PORT']}/healthcheck")
        )

    wait_for(up, 240, "make run to be up")


def at_rest(
    root: psutil.Process, timeout: float = 60, *, each: bool = False
) -> dict[str, dict[str, float]]:
    """The figures once two samples a few seconds apart differ by under 1% (start-up done)."""
    deadline = time.monotonic() + timeout
    last = measure(root)
    while True:
        time.sleep(3)  # the interval between samples, not a wait for a condition
        now = measure(root, each=each)
        steady = abs(now["total"]["pss"] - last["total"]["pss"]) < 0.01 * last["total"]["pss"]
        if steady or time.monotonic() > deadline:
            return now
        last = now


def run(keep: Path | None = None, *, each: bool = False) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory(prefix="stack-memory-") as tmp:
        workdir = keep or Path(tmp)
        env, ports = environment(workdir / "var")
        log = workdir / "make-run.log"
        with log.open("wb") as out:
            launcher = subprocess.Popen(
                [sys.executable, "-m", "tools.run_embedded"],
                env=env, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        try:
            wait_ready(launcher, log, ports)
            return at_rest(psutil.Process(launcher.pid), each=each)
        finally:
            launcher.send_signal(signal.SIGINT)  # what Ctrl-C sends
            try:
                launcher.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(launcher.pid, signal.SIGKILL)
                launcher.wait()


def table(figures: dict[str, dict[str, float]]) -> str:
    rows = [f"{'process':<24}{'count':>6}{'PSS MiB':>10}{'RSS MiB':>10}"]
    for name, row in figures.items():
        rows.append(f"{name:<24}{int(row['processes']):>6}{row['pss']:>10.1f}{row['rss']:>10.1f}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="the figures as JSON")
    parser.add_argument("--each", action="store_true", help="a row per process, not per kind")
    parser.add_argument("--keep", type=Path, help="a directory to keep the data and log in")
    args = parser.parse_args(argv)
    figures = run(args.keep, each=args.each)
    print(json.dumps(figures, indent=2) if args.json else table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
