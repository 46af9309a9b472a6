"""The workflow's Prometheus metrics: how long each SOP step took (a histogram in office
minutes) and how often its standard was breached, from the case record at scrape time; and each
role's backlog now (``backlog``: cases waiting, overdue, the oldest wait), as gauges.

The record is append-only, so the first two only grow, as a Prometheus histogram and counter
must; the API and the worker read the same rows and agree. They come from the running totals
(``sla.step_totals``: a row per step and role, added to in the transaction that records each
completion or breach), so a scrape reads a handful of rows whatever the length of the history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from services.workflow.cases.backlog import RoleBacklog, backlogs
from services.workflow.sla import clock
from services.workflow.sla.step_totals import BUCKET_COLUMNS, BUCKETS, totals
from shared.database.engine import ServiceDatabase
from shared.messaging.queue_metrics import QueueDepthCollector
from shared.runtime.metrics_server import registry_with
from shared.sop import STEPS


class StepCollector(Collector):
    def __init__(self, database: Callable[[], ServiceDatabase]) -> None:
        self.database = database

    def collect(self) -> Iterator[Metric]:
        with self.database().sessions() as session:
            rows = totals(session)
        # Every SOP step, zeros included: a rate or an alert needs the series to exist.
        keys = sorted({(s.number, s.role.value) for s in STEPS} | set(rows))
        histogram = HistogramMetricFamily(
            "pengaduan_workflow_step_duration_office_minutes",
            "Office minutes each completed SOP step took, per step and role",
            labels=["step", "role"],
        )
        counter = CounterMetricFamily(
            "pengaduan_workflow_step_breaches",
            "Times a case passed its step's standard time (Mutu Baku), per step and role",
            labels=["step", "role"],
        )
        for step, role in keys:
            labels = [str(step), role]
            row = rows.get((step, role))
            cumulative = [getattr(row, c) if row else 0 for c in BUCKET_COLUMNS]
            count = row.completions if row else 0
            buckets = [(_le(bound), n) for bound, n in zip(BUCKETS, cumulative, strict=True)]
            total = row.minutes_total if row else 0.0
            histogram.add_metric(labels, [*buckets, ("+Inf", count)], sum_value=total)
            counter.add_metric(labels, row.breaches if row else 0)
        yield histogram
        yield counter


BACKLOG_GAUGES: tuple[tuple[str, str, str], ...] = (
    ("waiting", "pengaduan_workflow_cases_waiting", "Cases waiting at the role's steps"),
    (
        "overdue",
        "pengaduan_workflow_cases_overdue",
        "Cases waiting at the role's steps past their standard time (Mutu Baku)",
    ),
    (
        "oldest_wait_office_minutes",
        "pengaduan_workflow_oldest_wait_office_minutes",
        "Office minutes the longest-waiting case has waited at the role's step (0: none waits)",
    ),
)


class BacklogCollector(Collector):
    """Where cases wait once they arrived, which Flower's queue view cannot show."""

    def __init__(self, database: Callable[[], ServiceDatabase]) -> None:
        self.database = database

    def collect(self) -> Iterator[Metric]:
        with self.database().sessions() as session:
            rows: list[RoleBacklog] = backlogs(session, clock.now())
        for field, name, documentation in BACKLOG_GAUGES:
            gauge = GaugeMetricFamily(name, documentation, labels=["role"])
            for row in rows:
                gauge.add_metric([row.role.value], getattr(row, field))
            yield gauge


def _le(bound: float) -> str:
    return str(float(bound))  # "5.0", as prometheus_client's own histograms write it


def registry_for(database: Callable[[], ServiceDatabase]) -> CollectorRegistry:
    return registry_with(StepCollector(database), BacklogCollector(database), QueueDepthCollector())
