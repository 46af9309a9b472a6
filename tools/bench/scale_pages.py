"""Time the scale part's report and metrics pages on a seeded set that already exists (a copy of
the 500,000-case record, say), without seeding a fresh one: how issue 25's part 4 was measured
before and after (docs/BENCHMARKS.md).

    python -m tools.bench.scale_pages PREFIX CASES [SAMPLES] [all]

reads the databases ``PREFIX_intake``, ``PREFIX_workflow`` and ``PREFIX_notifier`` on
PostgreSQL (``PENGADUAN_TEST_DATABASE_URL``'s server, else 127.0.0.1 as postgres), uses the
Redis db ``PENGADUAN_TEST_REDIS_DB`` of ``PENGADUAN_TEST_REDIS_URL`` (the queue gauges) and prints
each page's p50 / p95 in ms. A page that takes longer than the client's 120 s counts 120 s.
With ``all``, every page of the scale part (worklists, search, case pages, each ``/metrics``
including the notifier's collector), as the third round of issue 25 measured them.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import httpx

from tools.bench import scale
from tools.harness.environment import service_environment

PAGES = ("Mutu Baku", "monthly report", "/metrics (workflow")
SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


def main(prefix: str, cases: int, samples: int, *, every_page: bool = False) -> None:
    scale.SAMPLES = samples
    every = scale.requests_for
    if not every_page:
        scale.requests_for = lambda *a: [r for r in every(*a) if r[0].startswith(PAGES)]
        scale._notifier_metrics = lambda env: scale.Page("notifier (not measured here)")  # noqa: ARG005
    timed = scale._time

    def patient(call: Callable[[], int], page: scale.Page) -> None:
        try:
            timed(call, page)
        except httpx.TimeoutException:
            page.latencies.append(120.0)

    scale._time = patient
    server = os.environ.get("PENGADUAN_TEST_DATABASE_URL", SERVER).rsplit("/", 1)[0]
    urls = {s: f"{server}/{prefix}_{s}" for s in ("intake", "workflow", "notifier")}
    with tempfile.TemporaryDirectory() as work:
        redis = os.environ.get("PENGADUAN_TEST_REDIS_URL", "redis://127.0.0.1:6379")
        broker = f"{redis}/{os.environ.get('PENGADUAN_TEST_REDIS_DB', '0')}"
        env = service_environment(Path(work) / "var", broker, urls)
        pages = scale.measure(urls, env, Path(work), cases, 1)
    for page in pages:
        if page.latencies:
            p50, p95 = page.share(0.5) * 1000, page.share(0.95) * 1000
            print(f"| {page.name} | {p50:.0f} / {p95:.0f} | n={len(page.latencies)}")


if __name__ == "__main__":
    main(
        sys.argv[1],
        int(sys.argv[2]),
        int(sys.argv[3]) if len(sys.argv) > 3 else scale.SAMPLES,
        every_page=sys.argv[4:5] == ["all"],
    )
