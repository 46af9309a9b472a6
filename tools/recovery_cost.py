"""What issue 26's minute to recover costs (docs/RELIABILITY.md, "A minute to recover").

    python -m tools.recovery_cost [--complaints 100] [--idle 60]

Runs the desk twice as the chaos suite does (tools.chaos.system: every part a process, a private
Redis, fresh databases) but with no faults: once with the production broker timings (30 s
visibility timeout, each worker refreshing what it holds every 10 s, restores every 5 s) and once
with the old 300 s timeout (its refresh every 100 s, so at most once in a burst). Each run
measures an idle minute, then a burst of complaints filed and walked through the five steps by
scripted staff (tools.chaos.people). It prints, per run and part, Redis commands per worker per
minute from ``INFO commandstats`` (all of them, and the refresh's ZADDs) and the duplicate
deliveries (the consumers' "already applied, skipped").
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import redis

from tools.chaos.people import Staff, Stream
from tools.chaos.results import WORKERS, Results
from tools.chaos.system import System
from tools.chaos.verdict import quiet

RUNS = {
    "30 s, refreshed": {"broker_visibility_timeout": "30"},
    "300 s (old)": {"broker_visibility_timeout": "300"},
}
PRODUCTION = {  # the defaults the chaos suite scales down
    "broker_restore_interval": "5",
    "outbox_redrive_seconds": "120",
    "delivery_sweep_seconds": "60",
    "delivery_stale_seconds": "300",
}
DUPLICATE = "already applied, skipped"


def _calls(client: redis.Redis) -> dict[str, int]:
    stats: dict[str, dict[str, int]] = client.info("commandstats")  # type: ignore[assignment]
    return {name.removeprefix("cmdstat_"): int(stat["calls"]) for name, stat in stats.items()}


def _per_worker_minute(before: dict[str, int], after: dict[str, int], seconds: float) -> str:
    """Commands, and the refresh's: each delivery is one ZADD and one HSET (kombu's ``append``),
    nothing else here sends either, so the ZADDs beyond the HSETs are the refresh's."""

    def delta(name: str) -> int:
        return after.get(name, 0) - before.get(name, 0)

    def rate(count: int) -> str:
        return f"{count / len(WORKERS) / (seconds / 60):.1f}"

    total = sum(after.values()) - sum(before.values())
    refresh = delta("zadd") - delta("hset")
    return (
        f"{seconds:.0f} s, {total} commands ({rate(total)} per worker per minute), "
        f"{delta('hset')} deliveries, {refresh} refreshes ({rate(refresh)} per worker per minute)"
    )


def _duplicates(system: System) -> int:
    return sum(
        (system.logs / f"worker-{name}.log").read_text(errors="replace").count(DUPLICATE)
        for name in WORKERS
    )


def measure(settings: dict[str, str], complaints: int, idle: float) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="pengaduan-recovery-") as workdir, ExitStack() as stack:
        system = System(Path(workdir), stack, {**PRODUCTION, **settings})
        client = redis.Redis.from_url(system.broker_url)
        stack.callback(client.close)
        lines = []
        before, started = _calls(client), time.monotonic()
        time.sleep(idle)  # an idle stretch is what is measured here
        lines.append(
            f"idle: {_per_worker_minute(before, _calls(client), time.monotonic() - started)}"
        )

        results = Results(seed=0)
        stop = threading.Event()
        stream = Stream(system.apis[0].url, complaints, 0.25, results)
        staff = Staff(system.desk, 3, results)
        walking = threading.Thread(target=staff.run, args=(stop,), daemon=True)
        before, duplicates, started = _calls(client), _duplicates(system), time.monotonic()
        walking.start()
        stream.run(stop)
        codes = set(stream.accepted)
        while not quiet(system, codes)[0]:
            time.sleep(0.5)
        seconds = time.monotonic() - started
        stop.set()
        walking.join(30)
        stream.client.close()
        lines.append(
            f"burst of {len(codes)} complaints: "
            f"{_per_worker_minute(before, _calls(client), seconds)}, "
            f"{_duplicates(system) - duplicates} duplicate deliveries"
        )
        return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.recovery_cost")
    parser.add_argument("--complaints", type=int, default=100)
    parser.add_argument("--idle", type=float, default=60.0, help="seconds")
    args = parser.parse_args(argv)
    for name, settings in RUNS.items():
        for line in measure(settings, args.complaints, args.idle):
            print(f"{name}: {line}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
