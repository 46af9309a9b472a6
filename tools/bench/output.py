"""How a bench run is shown: its tables on the console, and its figures in docs/BENCHMARKS.md
between the markers (the rest of the page is written by hand and left alone)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from tools.bench.report import (
    DOC,
    END,
    FIGURE_COLUMNS,
    PROCESS_COLUMNS,
    STACK_COLUMNS,
    START,
    TASK_COLUMNS,
    Config,
    Report,
    figures,
    machine,
    process_rows,
    stack_rows,
    task_rows,
    tasks_line,
)
from tools.bench.scale import table as scale_table
from tools.bench.targets import COLUMNS as TARGET_COLUMNS
from tools.bench.targets import targets

Rows = list[tuple[str, ...]]


def _table(console: Console, title: str, columns: tuple[str, ...], rows: Rows) -> None:
    table = Table(title=title)
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index == 0 else "right")
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _markdown_table(columns: tuple[str, ...], rows: Rows) -> list[str]:
    return [
        f"| {' | '.join(columns)} |",
        "|---|" + "---:|" * (len(columns) - 1),
        *(f"| {' | '.join(row)} |" for row in rows),
    ]


def show(report: Report, console: Console) -> None:
    _table(console, "make bench", FIGURE_COLUMNS, figures(report))
    _table(console, "tasks the desk's workers ran", TASK_COLUMNS, task_rows(report))
    console.print(tasks_line(report))
    _table(
        console, "each service process, its pool children included", PROCESS_COLUMNS,
        process_rows(report),
    )  # fmt: skip
    if report.stack_memory:
        _table(console, "`make run` at rest, by kind of process", STACK_COLUMNS, stack_rows(report))
    console.print(f"email and SMS deliveries as the last case closed: {_deliveries(report)}")
    _table(console, "issue 25's targets", TARGET_COLUMNS, [t.row() for t in targets(report)])


def markdown(report: Report, config: Config) -> str:
    stack = (
        [
            "",
            "`make run` at rest, measured first (`tools.bench.stack_memory`: SQLite files and a "
            "Redis of its own, as on a fresh machine), by kind of process, pool children "
            "included:",
            "",
            *_markdown_table(STACK_COLUMNS, stack_rows(report)),
        ]
        if report.stack_memory
        else []
    )
    lines = [
        START,
        f"Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; "
        f"{report.database}, {report.broker}.",
        "",
        *_markdown_table(TARGET_COLUMNS, [t.row() for t in targets(report)]),
        "",
        f"Intake: {config.concurrency} concurrent clients for {config.seconds:.0f} s after a "
        f"{config.warmup:.0f} s warm-up, {config.web_workers} uvicorn process(es) each. Pipeline: "
        f"{config.single} complaints one at a time, then {config.complaints} at once, per run; "
        f"email to a real SMTP server, SMS to a real HTTP gateway (deliveries as the last case "
        f"closed: {_deliveries(report)}).",
        "",
        *_markdown_table(FIGURE_COLUMNS, figures(report)),
        "",
        tasks_line(report),
        "",
        *_markdown_table(TASK_COLUMNS, task_rows(report)),
        "",
        *_markdown_table(PROCESS_COLUMNS, process_rows(report)),
        *stack,
        *(["", *scale_table(report.scale)] if report.scale else []),
        END,
    ]
    return "\n".join(lines)


def _deliveries(report: Report) -> str:
    totals: Counter[str] = Counter()
    for desk, *_ in report.pipelines:
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
