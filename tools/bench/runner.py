"""`make bench`: the desk's speed beside bare baselines measured in the same run.

    python -m tools.bench [--seconds 10] [--concurrency 16] [--complaints 200]
    [--scale 1,2,2:2:2] [--redrive-seconds 120] [--linger-seconds 0.2]

- **intake**: complaints accepted per second and p50/p99 latency at a fixed concurrency, against
  the real intake API (its database, its outbox, Redis) and, in the same run, against a bare
  FastAPI app that validates the same body and does nothing else (``tools.bench.bare_api``) and
  one that also writes the filing's rows in one psycopg transaction and pushes its two messages
  (``tools.bench.durable_api``, PostgreSQL only);
- **pipeline**: complaints carried through the five steps by scripted staff calling the staff
  API's own functions (``worklist``, ``complete_step``, each in a transaction of its own as a
  request has), with real workers between the steps; the per-hop latency from one role's
  completion to the case's arrival on the next role's worklist, read from the case's record;
  beside a bare Celery chain of five no-op tasks on five queues and a transactional chain of as
  many tasks per complaint as the desk's workers were counted to run, each one transaction
  (``tools.bench.bare_chain``, ``tools.bench.chains``, ``tools.bench.task_count``); with the
  workflow and notifier worker processes and the intake API processes each ``--scale`` item
  asks for (``W[:N[:A]]``), as ``docker compose --scale`` adds;
- **memory**: first, ``make run`` at rest, the PSS of every process it starts
  (``tools.bench.stack_memory``); then the resident memory of every service process of the
  pipeline at rest and its peak under the load.

It runs on ``PENGADUAN_TEST_DATABASE_URL`` / ``PENGADUAN_TEST_REDIS_URL`` when set (fresh
databases, Redis db 14 or ``--redis-db``, emptied before and after), on SQLite files and a
private Redis otherwise (without the durable filing and the transactional chain), and writes
its figures into docs/BENCHMARKS.md between the ``bench:figures`` markers, with the machine
and the date.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from tools.bench import stack_memory
from tools.bench.bare_chain import HOPS
from tools.bench.chains import run_bare_chain, run_txn_chain
from tools.bench.intake import hammer
from tools.bench.output import show, write
from tools.bench.pipeline import run_pipeline
from tools.bench.processes import BENCH_REDIS_DB, Memory, broker, delivery_sinks, uvicorn
from tools.bench.report import DOC, Config, Report, Scale
from tools.bench.scale import run_scale, table
from tools.harness.databases import PostgresDatabases, database_pool, fresh_set
from tools.harness.environment import service_environment
from tools.harness.processes import PROJECT_ROOT


def run_intake(
    report: Report,
    config: Config,
    env: dict[str, str],
    pool: object,
    logs: Path,
    progress: Progress,
) -> PostgresDatabases | None:
    """The intake part: the real API, the bare one and the durable one, one after the other on
    the same cores; the PostgreSQL pool, if the run is on one, for the later parts."""
    # Intake: the real API, then the bare one, one after the other on the same cores.
    api, url = uvicorn(
        "api-intake", "services.intake.api.app:create_app", env, logs, config.web_workers
    )
    try:
        report.intake = hammer("intake API", url, config, progress)
    finally:
        api.stop()
    bare, bare_url = uvicorn(
        "bare-api", "tools.bench.bare_api:create_app", env, logs, config.web_workers
    )
    try:
        report.bare_api = hammer("bare FastAPI", bare_url, config, progress)
    finally:
        bare.stop()
    postgres = pool if isinstance(pool, PostgresDatabases) else None
    if postgres is not None:  # its own intake database, migrated as the desk's
        durable_env = {**env, "PENGADUAN_INTAKE_DATABASE_URL": postgres.fresh("intake")}
        durable, durable_url = uvicorn(
            "durable-api", "tools.bench.durable_api:create_app", durable_env, logs,
            config.web_workers,
        )  # fmt: skip
        try:
            report.durable_api = hammer("durable filing", durable_url, config, progress)
        finally:
            durable.stop()
    return postgres


def run(config: Config, console: Console) -> Report:
    report = Report()
    if config.stack_memory:  # first, on a machine not yet busy with the load
        console.log("`make run` at rest (tools.bench.stack_memory)")
        report.stack_memory = stack_memory.run()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
    )
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="pengaduan-bench-") as tmp:
        workdir = Path(tmp)
        logs = workdir / "logs"
        logs.mkdir()
        broker_url = stack.enter_context(broker(workdir, config.redis_db))
        pool = stack.enter_context(
            database_pool(os.environ.get("PENGADUAN_TEST_DATABASE_URL"), workdir / "db")
        )
        (workdir / "db").mkdir(exist_ok=True)
        report.database = (
            "PostgreSQL" if os.environ.get("PENGADUAN_TEST_DATABASE_URL") else "SQLite"
        )
        report.broker = (
            "Redis (this machine's)"
            if os.environ.get("PENGADUAN_TEST_REDIS_URL")
            else "Redis (private)"
        )
        sinks = stack.enter_context(delivery_sinks(logs))
        env = service_environment(
            workdir / "var", broker_url, fresh_set(pool),
            filing_limit="100000000/minute", tracking_limit="100000000/minute", **sinks,
        )  # fmt: skip
        memory = Memory()
        with Progress(*columns, console=console) as progress:
            postgres = run_intake(report, config, env, pool, logs, progress)
            for index, scale in enumerate(config.scale):
                desk, tasks = run_pipeline(
                    scale, config, env, pool, logs, progress, memory, first=index == 0
                )
                report.tasks = tasks or report.tasks
                chain = run_bare_chain(scale.workflow, config, env, logs, progress)
                txn = None
                if postgres is not None and report.tasks is not None:
                    # As many worker processes as the desk ran, as many tasks per complaint.
                    per_complaint = max(HOPS, round(report.tasks.per_complaint))
                    txn = run_txn_chain(
                        1 + scale.notifier + scale.workflow, per_complaint,
                        postgres.fresh("workflow"), config, env, logs, progress,
                    )  # fmt: skip
                report.pipelines.append((desk, chain, txn))
        if config.scale_cases:
            report.scale = run_scale(
                config.scale_cases, pool,
                lambda urls: service_environment(workdir / "var", broker_url, urls, **sinks),
                logs, config.web_workers, progress=console.log,
            )  # fmt: skip
        report.memory = {
            name: (memory.at_rest.get(name, 0.0), memory.peak.get(name, 0.0))
            for name in memory.processes
        }
        if report.pipelines:
            carried = report.pipelines[0][0].complaints + config.single
            report.cpu_per_complaint = {
                name: used / carried for name, used in memory.cpu_used.items() if carried
            }
    return report


def parse(argv: list[str]) -> Config:
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--complaints", type=int, default=200)
    parser.add_argument("--single", type=int, default=20, help="one at a time, before the burst")
    parser.add_argument(
        "--scale", default="1,2,2:2:2",
        help="one pipeline run per item, W[:N[:A]]: workflow and notifier worker processes "
        "(N 1 if not given) and intake API processes (A --web-workers if not given)",
    )  # fmt: skip
    parser.add_argument(
        "--redrive-seconds", type=float, default=None,
        help="the outbox's redrive in the first pipeline run, whose tasks are counted until "
        "every row's copy has run (default: the desk's setting, 120 s, waited out)",
    )  # fmt: skip
    parser.add_argument(
        "--linger-seconds", type=float, default=None,
        help="the relay threads' linger for bookkeeping messages in the pipeline runs "
        "(default: the desk's setting, PENGADUAN_OUTBOX_BATCH_LINGER_SECONDS)",
    )  # fmt: skip
    parser.add_argument("--web-workers", type=int, default=Config().web_workers)
    parser.add_argument(
        "--redis-db", type=int, default=BENCH_REDIS_DB,
        help="the db of PENGADUAN_TEST_REDIS_URL's server to use (emptied before and after)",
    )  # fmt: skip
    parser.add_argument(
        "--scale-cases", default="10000,500000", help="seeded record sizes for the scale part"
    )
    parser.add_argument("--no-scale-cases", action="store_true", help="skip the scale part")
    parser.add_argument(
        "--no-stack-memory", action="store_true", help="skip measuring `make run` at rest"
    )
    parser.add_argument("--no-write", action="store_true", help="leave docs/BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    return Config(
        seconds=args.seconds,
        warmup=args.warmup,
        concurrency=args.concurrency,
        complaints=args.complaints,
        single=args.single,
        scale=tuple(Scale.parse(item) for item in args.scale.split(",")),
        web_workers=args.web_workers,
        write=not args.no_write,
        redrive_seconds=args.redrive_seconds,
        linger_seconds=args.linger_seconds,
        redis_db=args.redis_db,
        stack_memory=not args.no_stack_memory,
        scale_cases=()
        if args.no_scale_cases
        else tuple(int(n) for n in args.scale_cases.split(",") if n),
    )


def main(argv: list[str] | None = None) -> int:
    config = parse(sys.argv[1:] if argv is None else argv)
    console = Console()
    report = run(config, console)
    show(report, console)
    for line in table(report.scale):
        console.print(line, markup=False, highlight=False)
    if config.write:
        write(report, config)
        console.print(f"figures written to {DOC.relative_to(PROJECT_ROOT)}")
    complete = all(
        run.complaints == config.complaints
        for desk, chain, txn in report.pipelines
        for run in (desk, chain, *([txn] if txn else []))
    )
    served = all(load.accepted for load in (report.intake, report.durable_api) if load)
    return 0 if complete and served and report.intake else 1
