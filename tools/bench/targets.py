"""Issue 25's targets, each read off one bench run beside the baseline it is set against, and
whether the run met it: the first table of the figures block, so the page says in one place
which targets one run met."""

from __future__ import annotations

from dataclasses import dataclass

from tools.bench.report import Report, percentile

# The kinds of process of `make run` that are a service (tools.bench.stack_memory.KINDS): the
# per-service target is set on these; the launcher, Redis, beat and Flower count in the total.
SERVICES = ("intake-api", "workflow-api", "intake-worker", "workflow-worker", "notifier-worker")

INTAKE_SHARE = 0.5  # of the durable filing limit's rate
INTAKE_P99 = 0.080  # seconds, at 16 clients
CHAIN_SHARE = 0.4  # of the transactional chain limit's rate, one workflow process
BURST_HOP_P99 = 3.0  # seconds, one workflow process
TASKS = 12.0  # per complaint through five steps
SERVICE_PSS = 120.0  # MiB, a service process with its pool children
STACK_PSS = 700.0  # MiB, every process `make run` starts
PAGE_P95 = 0.200  # seconds, each page at the largest record


@dataclass(frozen=True)
class Target:
    what: str
    figure: str
    baseline: str
    met: bool | None  # None: not measured in this run

    def row(self) -> tuple[str, str, str, str]:
        verdict = "not measured" if self.met is None else "met" if self.met else "not met"
        return (self.what, self.figure, self.baseline, verdict)


COLUMNS = ("target", "this run", "beside it", "result")


def targets(report: Report) -> list[Target]:
    return [
        *_intake(report),
        *_five_steps(report),
        _tasks(report),
        *_memory(report),
        _pages(report),
    ]


def _missing(what: str) -> Target:
    return Target(what, "-", "-", None)


def _intake(report: Report) -> list[Target]:
    share, p99 = (
        f"intake at least {INTAKE_SHARE:.0%} of the durable filing limit",
        f"intake p99 under {INTAKE_P99 * 1000:.0f} ms",
    )
    desk, durable = report.intake, report.durable_api
    if desk is None or durable is None or not durable.rate:
        return [_missing(share), _missing(p99)]
    ours, theirs = percentile(desk.latencies, 0.99), percentile(durable.latencies, 0.99)
    return [
        Target(
            share,
            f"{desk.rate:.0f}/s, {desk.rate / durable.rate:.0%}",
            f"durable filing limit {durable.rate:.0f}/s",
            desk.rate >= INTAKE_SHARE * durable.rate,
        ),
        Target(
            p99,
            f"{ours * 1000:.1f} ms",
            f"durable filing limit {theirs * 1000:.1f} ms",
            ours < INTAKE_P99,
        ),
    ]


def _five_steps(report: Report) -> list[Target]:
    share, hop = (
        f"five steps at least {CHAIN_SHARE:.0%} of the transactional chain limit, "
        "one workflow process",
        f"a hop's p99 in the burst under {BURST_HOP_P99:.0f} s, one workflow process",
    )
    first = next((run for run in report.pipelines if run[0].workers == 1), None)
    if first is None:
        return [_missing(share), _missing(hop)]
    desk, _chain, txn = first
    ours = percentile(desk.hops, 0.99)
    rate = (
        Target(
            share,
            f"{desk.rate:.1f}/s, {desk.rate / txn.rate:.0%}",
            f"transactional chain limit {txn.rate:.1f}/s",
            desk.rate >= CHAIN_SHARE * txn.rate,
        )
        if txn is not None and txn.rate
        else _missing(share)
    )
    burst = Target(
        hop,
        f"{ours:.2f} s",
        f"transactional chain {percentile(txn.hops, 0.99):.2f} s" if txn else "-",
        ours < BURST_HOP_P99,
    )
    return [rate, burst]


def _tasks(report: Report) -> Target:
    what = f"tasks per complaint through five steps at most {TASKS:.0f}"
    tasks = report.tasks
    if tasks is None or not tasks.complaints:
        return _missing(what)
    return Target(
        what,
        f"{tasks.per_complaint:.1f}",
        "five hand-offs (the SOP's floor)",
        tasks.per_complaint <= TASKS,
    )


def _memory(report: Report) -> list[Target]:
    each, whole = (
        f"at most {SERVICE_PSS:.0f} MiB PSS per service process with its pool children",
        f"the whole `make run` stack under {STACK_PSS:.0f} MiB PSS",
    )
    stack = report.stack_memory
    if not stack:
        return [_missing(each), _missing(whole)]
    services = {name: stack[name]["pss"] for name in SERVICES if name in stack}
    largest = max(services, key=services.__getitem__)
    total = stack["total"]
    return [
        Target(
            each,
            f"largest {services[largest]:.0f} MiB ({largest})",
            f"{len(services)} services",
            services[largest] <= SERVICE_PSS,
        ),
        Target(
            whole,
            f"{total['pss']:.0f} MiB",
            f"{int(total['processes'])} processes, {total['rss']:.0f} MiB resident",
            total["pss"] < STACK_PSS,
        ),
    ]


def _pages(report: Report) -> Target:
    what = f"each page's p95 under {PAGE_P95 * 1000:.0f} ms at the largest record"
    if not report.scale:
        return _missing(what)
    smallest = min(report.scale, key=lambda size: size.cases)
    largest = max(report.scale, key=lambda size: size.cases)
    pages = {page.name: page.share(0.95) for page in largest.pages}
    over = sorted((p95, name) for name, p95 in pages.items() if p95 >= PAGE_P95)
    figure = f"{len(pages) - len(over)} of {len(pages)} pages under at {largest.cases:,} cases"
    if over:
        figure += "; over: " + ", ".join(
            f"{name} {p95 * 1000:.0f} ms" for p95, name in reversed(over)
        )
    beside = "-"
    if smallest is not largest:
        slowest = max(page.share(0.95) for page in smallest.pages)
        beside = f"slowest at {smallest.cases:,} cases {slowest * 1000:.0f} ms"
    return Target(what, figure, beside, not over)
