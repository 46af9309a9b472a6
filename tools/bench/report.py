"""What a bench run is asked to do (``Config``), what it measured (``Report``), and how that is
shown: the tables on the console and the figures in docs/BENCHMARKS.md between the markers."""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil
from rich.console import Console
from rich.table import Table

from tools.harness.processes import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "BENCHMARKS.md"
START, END = "<!-- bench:figures -->", "<!-- /bench:figures -->"


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
    scale_cases: tuple[int, ...] = (10_000, 500_000)  # seeded record sizes (tools.bench.scale)


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
    scale_lines: list[str] = field(default_factory=list)  # tools.bench.scale's table


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


def show(report: Report, console: Console) -> None:
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
        *(["", *report.scale_lines] if report.scale_lines else []),
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
