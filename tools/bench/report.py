"""What a bench run is asked to do (``Config``), what it measured (``Report``), and its figures
as rows (``tools.bench.output`` shows them on the console and in docs/BENCHMARKS.md)."""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import psutil

from tools.harness.processes import PROJECT_ROOT

if TYPE_CHECKING:
    from tools.bench.scale import Scale as RecordSize

DOC = PROJECT_ROOT / "docs" / "BENCHMARKS.md"
START, END = "<!-- bench:figures -->", "<!-- /bench:figures -->"


@dataclass(frozen=True)
class Scale:
    """One pipeline run's processes: workflow and notifier workers, and intake API processes
    (0: ``Config.web_workers``)."""

    workflow: int = 1
    notifier: int = 1
    api: int = 0

    @classmethod
    def parse(cls, text: str) -> Scale:
        """``W`` or ``W:N`` or ``W:N:A`` (workflow, notifier, API processes)."""
        numbers = [int(n) for n in text.split(":")]
        if not 1 <= len(numbers) <= 3 or min(numbers) < 1:
            raise ValueError(f"a scale is W, W:N or W:N:A, each at least 1: {text!r}")
        return cls(*numbers)


@dataclass
class Config:
    seconds: float = 10.0  # measured load per HTTP target
    warmup: float = 2.0  # load before measuring (connections, caches, JIT-free warm paths)
    concurrency: int = 16  # requests in flight at once
    complaints: int = 200  # carried through the five steps per pipeline run, all at once
    single: int = 20  # carried through one at a time first, for the hop latency without a queue
    scale: tuple[Scale, ...] = (Scale(1), Scale(2), Scale(2, 2, 2))  # one pipeline run each
    # uvicorn processes behind each HTTP target (the same for both): one per core, as compose runs
    web_workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    write: bool = True
    # The outbox's redrive for the task count (None: the desk's own setting, waited out).
    redrive_seconds: float | None = None
    # The relay threads' linger for bookkeeping rows (None: the desk's own setting).
    linger_seconds: float | None = None
    redis_db: int = 14  # of this machine's Redis, when configured
    scale_cases: tuple[int, ...] = (10_000, 500_000)  # seeded record sizes (tools.bench.scale)
    stack_memory: bool = True  # `make run` at rest, first (tools.bench.stack_memory)


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
    notifier: int = 1  # notifier worker processes (the desk's)
    api: int = 0  # intake API processes (the desk's)

    @property
    def rate(self) -> float:
        return self.complaints / self.seconds if self.seconds else 0.0


@dataclass
class Tasks:
    """The tasks the desk's workers ran for ``complaints`` carried through five steps, settled
    (redriven copies included): task name -> (runs, distinct messages)."""

    complaints: int = 0
    by_name: dict[str, tuple[int, int]] = field(default_factory=dict)
    redrive_seconds: float = 0.0

    @property
    def runs(self) -> int:
        return sum(runs for runs, _ in self.by_name.values())

    @property
    def per_complaint(self) -> float:
        return self.runs / self.complaints if self.complaints else 0.0


@dataclass
class Report:
    intake: Load | None = None
    bare_api: Load | None = None
    durable_api: Load | None = None  # None: no PostgreSQL to run it on
    # (the desk, the bare chain, the transactional chain or None without PostgreSQL) per scale
    pipelines: list[tuple[Pipeline, Pipeline, Pipeline | None]] = field(default_factory=list)
    tasks: Tasks | None = None
    memory: dict[str, tuple[float, float]] = field(default_factory=dict)  # MiB at rest, peak
    cpu_per_complaint: dict[str, float] = field(default_factory=dict)  # seconds, first pipeline
    database: str = ""
    broker: str = ""
    scale: list[RecordSize] = field(default_factory=list)  # the scale part, size by size
    # `make run` at rest: kind of process (and "total"): processes, pss and rss in MiB
    stack_memory: dict[str, dict[str, float]] = field(default_factory=dict)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


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


def _latency_rows(
    what: str, ours: list[float], bare: list[float], durable: list[float] | None
) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for q in (0.5, 0.99):
        o, b = percentile(ours, q), percentile(bare, q)
        d = percentile(durable, q) if durable is not None else float("nan")
        rows.append(
            (f"{what} p{int(q * 100)}", ms(o), ms(b), _times(o, b),
             ms(d) if durable is not None else "-", _times(o, d) if durable is not None else "-")
        )  # fmt: skip
    return rows


def _rate_row(
    what: str, ours: float, bare: float, durable: float | None, digits: int
) -> tuple[str, ...]:
    return (
        what, f"{ours:.{digits}f}", f"{bare:.{digits}f}", _share(ours, bare),
        f"{durable:.{digits}f}" if durable is not None else "-",
        _share(ours, durable) if durable is not None else "-",
    )  # fmt: skip


def scale_label(desk: Pipeline) -> str:
    return (
        f"pipeline, {desk.workers} workflow + {desk.notifier} notifier worker process(es), "
        f"{desk.api} API process(es)"
    )


def figures(report: Report) -> list[tuple[str, ...]]:
    """(what, the desk, bare baseline, ratio, durable baseline, ratio) rows."""
    rows: list[tuple[str, ...]] = []
    if report.intake and report.bare_api:
        i, b, d = report.intake, report.bare_api, report.durable_api
        rows.append(
            _rate_row("intake: complaints accepted per second", i.rate, b.rate,
                      d.rate if d else None, 0)
        )  # fmt: skip
        rows += _latency_rows(
            "intake: latency", i.latencies, b.latencies, d.latencies if d else None
        )
    for desk, chain, txn in report.pipelines:
        n = scale_label(desk)
        rows.append(
            _rate_row(f"{n}: complaints through five steps per second", desk.rate, chain.rate,
                      txn.rate if txn else None, 1)
        )  # fmt: skip
        rows += _latency_rows(
            f"{n}: per-hop latency, one case at a time,", desk.quiet_hops, chain.quiet_hops,
            txn.quiet_hops if txn else None,
        )  # fmt: skip
        rows += _latency_rows(
            f"{n}: per-hop latency in the burst,", desk.hops, chain.hops,
            txn.hops if txn else None,
        )  # fmt: skip
    return rows


FIGURE_COLUMNS = ("what", "the desk", "bare baseline", "ratio", "durable baseline", "ratio")
TASK_COLUMNS = ("task", "runs", "distinct messages", "runs per complaint")


def task_rows(report: Report) -> list[tuple[str, ...]]:
    tasks = report.tasks
    if tasks is None or not tasks.complaints:
        return []
    rows: list[tuple[str, ...]] = [
        (name, str(runs), str(distinct), f"{runs / tasks.complaints:.2f}")
        for name, (runs, distinct) in tasks.by_name.items()
    ]
    distinct = sum(d for _, d in tasks.by_name.values())
    rows.append(("all tasks", str(tasks.runs), str(distinct), f"{tasks.per_complaint:.2f}"))
    return rows


def tasks_line(report: Report) -> str:
    tasks = report.tasks
    if tasks is None or not tasks.complaints:
        return "Tasks per complaint: not counted."
    return (
        f"Tasks per complaint through five steps: {tasks.per_complaint:.1f}, counted by the "
        f"workers (a task_prerun hook) over the first pipeline run's {tasks.complaints} "
        f"complaints until every outbox row had also been sent again (redrive after "
        f"{tasks.redrive_seconds:g} s) and nothing was left queued; the transactional chain "
        f"runs {max(5, round(tasks.per_complaint))} per complaint."
    )


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


STACK_COLUMNS = ("`make run` at rest", "processes", "PSS (MiB)", "resident (MiB)")


def stack_rows(report: Report) -> list[tuple[str, ...]]:
    return [
        (name, str(int(row["processes"])), f"{row['pss']:.0f}", f"{row['rss']:.0f}")
        for name, row in report.stack_memory.items()
    ]
