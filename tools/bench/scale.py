"""The bench's scale part: what the pages staff read every day cost as the record grows.

For each size asked (``--scale-cases 10000,500000``), a fresh set of databases is migrated and
seeded with that many cases over two years (``tools.bench.seed``); the real workflow and intake
APIs run under uvicorn against it, and each page is requested one at a time (no other load: the
cost of the page, not a queue's) for its p50 and p95: each role's worklist (API and console), a
search by text and by telephone number, a closed case's page (API and console), the Mutu Baku
report for a month and for a year, the monthly report, and each service's ``/metrics`` (the
notifier's collector is read in this process: its metrics server belongs to its worker, which
the part does not start).

PostgreSQL only (the seed is SQL of PostgreSQL's); skipped on SQLite.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from prometheus_client import generate_latest
from sqlalchemy import create_engine, text

from tools.bench.processes import configured_as, uvicorn
from tools.bench.seed import STAFF, Seeded, seed
from tools.harness.databases import PostgresDatabases, SqliteDatabases, fresh_set

SAMPLES = 30  # per page and size, after WARMUP
WARMUP = 3
# A page slower than this in all stops after fewer samples (at least MIN_SAMPLES): a report of
# a year of a large record takes a minute, and thirty of them would say nothing more.
BUDGET_SECONDS = 30.0
MIN_SAMPLES = 3
PASSWORD = "kata-sandi-bench-skala"  # the bench's own throwaway accounts


@dataclass
class Page:
    """One page measured at one size: its latencies in seconds."""

    name: str
    latencies: list[float] = field(default_factory=list)
    status: int = 0

    def share(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


@dataclass
class Scale:
    cases: int
    seeded: Seeded
    pages: list[Page] = field(default_factory=list)


def staff_tokens(env: dict[str, str]) -> dict[str, str]:
    """One account per role in the seeded workflow database (the seed's actors' usernames), and
    a token for each, as ``POST /api/v1/auth/token`` would issue it."""
    from services.workflow.database import get_db  # noqa: PLC0415 - under configured_as
    from services.workflow.staff.accounts import create_user, get_by_username  # noqa: PLC0415
    from services.workflow.staff.auth import issue_token  # noqa: PLC0415
    from shared.runtime.settings import get_settings  # noqa: PLC0415
    from shared.sop import Role  # noqa: PLC0415

    tokens = {}
    with configured_as(env):
        get_db.cache_clear()
        try:
            with get_db().transaction() as session:
                for role, username in STAFF.items():
                    user = get_by_username(session, username) or create_user(
                        session, username=username, password=PASSWORD, role=Role(role),
                        full_name=username.capitalize(),
                    )  # fmt: skip
                    tokens[role] = issue_token(user, get_settings())[0]
        finally:
            get_db().engine.dispose()
            get_db.cache_clear()
    return tokens


def _months_before(today: date) -> tuple[date, date]:
    """The last whole month before ``today``: its first and last day."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def _sample(urls: dict[str, str], n: int) -> dict[str, str]:
    """A closed case half-way through the record, and what a caller would type for it."""
    engine = create_engine(urls["workflow"])
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT id, reporter_phone FROM cases WHERE status = 'closed' "
                     "AND reporter_phone IS NOT NULL ORDER BY filed_at LIMIT 1 OFFSET :half"),
                {"half": n // 2 - n // 10},
            ).one()  # fmt: skip
    finally:
        engine.dispose()
    return {"case_id": row.id, "phone": "0" + row.reporter_phone.removeprefix("+62")}


def requests_for(
    sample: dict[str, str], tokens: dict[str, str], today: date
) -> list[tuple[str, str, str, str]]:
    """(page, service, path, role): what is measured, as whom."""
    first, last = _months_before(today)
    year_from = today - timedelta(days=365)
    case_id = sample["case_id"]
    pages = [(f"worklist ({role})", "workflow", "/api/v1/worklist", role) for role in tokens]
    console = [(f"worklist, console ({role})", "workflow", "/console", role) for role in tokens]
    return [
        *pages,
        *console,
        ("search by text", "workflow", "/api/v1/cases?q=Salak+nomor+42", "admin"),
        ("search by phone", "workflow", f"/api/v1/cases?q={sample['phone']}", "admin"),
        ("case page (API)", "workflow", f"/api/v1/cases/{case_id}", "kasi"),
        ("case page (console)", "workflow", f"/console/kasus/{case_id}", "kasi"),
        ("Mutu Baku report, a month", "workflow",
         f"/api/v1/reports/sla?from={first}&to={last}", "koordinator"),
        ("Mutu Baku report, a year", "workflow",
         f"/api/v1/reports/sla?from={year_from}&to={today - timedelta(days=1)}", "koordinator"),
        ("monthly report", "workflow", f"/api/v1/reports/monthly?month={first:%Y-%m}",
         "koordinator"),
        ("/metrics (workflow API)", "workflow", "/metrics", ""),
        ("/metrics (intake API)", "intake", "/metrics", ""),
    ]  # fmt: skip


def _time(call: Callable[[], int], page: Page) -> None:
    spent = 0.0
    for round_ in range(WARMUP + SAMPLES):
        started = time.perf_counter()
        page.status = call()
        took = time.perf_counter() - started
        spent += took
        if round_ >= WARMUP or spent > BUDGET_SECONDS:
            page.latencies.append(took)
        if spent > BUDGET_SECONDS and len(page.latencies) >= MIN_SAMPLES:
            return


def measure(
    urls: dict[str, str], env: dict[str, str], logs: Path, n: int, web_workers: int
) -> list[Page]:
    tokens = staff_tokens(env)
    sample = _sample(urls, n)
    today = datetime.now(UTC).date()
    apis = {}
    started = []
    try:
        for service, factory in (("workflow", "services.workflow.api.app:create_app"),
                                 ("intake", "services.intake.api.app:create_app")):  # fmt: skip
            process, url = uvicorn(f"api-{service}-scale", factory, env, logs, web_workers)
            started.append(process)
            apis[service] = url
        pages = []
        with httpx.Client(timeout=120) as client:
            for name, service, path, role in requests_for(sample, tokens, today):
                page = Page(name)
                headers = {"Authorization": f"Bearer {tokens[role]}"} if role else {}
                cookies = {"pgd_sesi": tokens[role]} if path.startswith("/console") else {}

                def call(url: str = apis[service] + path, h: dict[str, str] = headers,
                         c: dict[str, str] = cookies) -> int:  # fmt: skip
                    client.cookies.clear()
                    return client.get(url, headers=h, cookies=c).status_code

                _time(call, page)
                pages.append(page)
        pages.append(_notifier_metrics(env))
        return pages
    finally:
        for process in started:
            process.stop()


def _notifier_metrics(env: dict[str, str]) -> Page:
    """The notifier worker's collector, as its metrics server runs it on each scrape."""
    from services.notifier.database import get_db  # noqa: PLC0415 - under configured_as
    from services.notifier.metrics import registry_for  # noqa: PLC0415

    page = Page("/metrics (notifier worker)")
    with configured_as(env):
        get_db.cache_clear()
        try:
            registry = registry_for(get_db)

            def scrape() -> int:
                generate_latest(registry)
                return 200

            _time(scrape, page)
        finally:
            get_db().engine.dispose()
            get_db.cache_clear()
    return page


def run_scale(
    sizes: tuple[int, ...],
    pool: PostgresDatabases | SqliteDatabases,
    environment: Callable[[dict[str, str]], dict[str, str]],
    logs: Path,
    web_workers: int,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Scale]:
    """Each size in turn on a fresh set of databases; ``environment`` makes the services'
    environment from the set's URLs."""
    if not isinstance(pool, PostgresDatabases):
        return []
    results = []
    for n in sizes:
        urls = fresh_set(pool)
        progress(f"seeding {n} cases")
        seeded = seed(urls, n, datetime.now(UTC))
        progress(f"measuring the pages at {n} cases")
        pages = measure(urls, environment(urls), logs, n, web_workers)
        results.append(Scale(cases=n, seeded=seeded, pages=pages))
    return results


def table(results: list[Scale]) -> list[str]:
    """The figures block's scale table: each page's p50 / p95 at each size, side by side."""
    if not results:
        return []
    sizes = " | ".join(f"{r.cases:,} cases p50 / p95 (ms)" for r in results)
    lines = [f"| page | {sizes} |", "|---|" + "---:|" * len(results)]
    for index, page in enumerate(results[0].pages):
        cells = []
        for result in results:
            same = result.pages[index]
            cells.append(f"{same.share(0.5) * 1000:.0f} / {same.share(0.95) * 1000:.0f}")
        lines.append(f"| {page.name} | {' | '.join(cells)} |")
    lines.append("")
    lines.append(
        f"Each page {SAMPLES} times one after the other after {WARMUP} unmeasured; one slower "
        f"than {BUDGET_SECONDS:.0f} s in all, {MIN_SAMPLES} times (its p95 is then its slowest)."
    )
    seeded = "; ".join(
        f"{r.cases:,} cases seeded in {sum(r.seeded.seconds.values()):.0f} s "
        f"({r.seeded.rows.get('case_events', 0):,} case events)"
        for r in results
    )
    return [*lines, "", f"Record made by `tools/bench/seed.py`: {seeded}."]
