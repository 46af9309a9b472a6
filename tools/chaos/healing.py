"""How long each fault took to heal, and what each service's processes weigh.

A fault has healed when every part of the desk answers again: each service's database takes a
query, Redis answers, both APIs say they are ready (``/readyz``: their database and Redis), and
the worker of every service answers Celery's ping. Time runs from the fault's start, so a
fault's own length (an outage of 30 s) is part of it; the backlog the fault left is the settle
time's, at the end of the run.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from typing import TYPE_CHECKING

import httpx
import psutil
import redis
from sqlalchemy import create_engine, text

from tools.bench.stack_memory import pss, tree
from tools.chaos.results import WORKERS

if TYPE_CHECKING:
    from celery import Celery

    from tools.chaos.system import System

PROBE_TIMEOUT = 2.0


def _databases_answer(urls: dict[str, str]) -> bool:
    for url in urls.values():
        engine = create_engine(url, connect_args={} if url.startswith("sqlite") else {
            "connect_timeout": 2
        })  # fmt: skip
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:  # any failure is "not healed yet"
            return False
        finally:
            engine.dispose()
    return True


def _workers_answer(celery: Celery) -> bool:
    try:
        replies = celery.control.ping(timeout=PROBE_TIMEOUT, limit=len(WORKERS))
    except Exception:  # Redis away: no answer
        return False
    names = {name.split("@", 1)[0] for reply in replies for name in reply}
    return names >= set(WORKERS)


def answers(system: System, celery: Celery) -> bool:
    """Whether every part of the desk answers now."""
    try:
        redis.Redis.from_url(system.broker_url, socket_timeout=PROBE_TIMEOUT).ping()
        for api in system.apis:
            if httpx.get(f"{api.url}/readyz", timeout=PROBE_TIMEOUT).status_code != 200:
                return False
    except (redis.RedisError, httpx.HTTPError):
        return False
    return _databases_answer(system.database_urls) and _workers_answer(celery)


def wait_healed(system: System, celery: Celery, started: float, timeout: float) -> float | None:
    """Seconds from ``started`` (``time.monotonic``) until every part answers; ``None`` if it
    did not within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if answers(system, celery):
            return time.monotonic() - started
        time.sleep(0.25)
    return None


def heal_table(heals: dict[str, list[float]]) -> dict[str, tuple[int, float, float]]:
    """Per fault kind: how many healed, the median and the longest time to heal (seconds)."""
    return {
        kind: (len(times), statistics.median(times), max(times))
        for kind, times in sorted(heals.items())
        if times
    }


def memory(system: System) -> dict[str, float]:
    """PSS in MiB of each service's processes (API and worker with its pool), and beat's."""
    roots: dict[str, list[int]] = defaultdict(list)
    for api in system.apis:
        if api.process is not None:
            roots[f"{api.name}"].append(api.process.pid)
    for name, process in system.workers.items():
        if process.process is not None:
            roots[f"worker-{name}" if name != "beat" else "beat"].append(process.process.pid)
    figures: dict[str, float] = {}
    for name, pids in sorted(roots.items()):
        total = 0.0
        for pid in pids:
            try:
                total += sum(pss(p) for p in tree(psutil.Process(pid)))
            except psutil.NoSuchProcess:
                continue
        figures[name] = total
    return figures
