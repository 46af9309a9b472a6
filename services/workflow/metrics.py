"""The workflow's Prometheus metrics: how long each SOP step took (a histogram in office
minutes) and how often its standard was breached, from the case record at scrape time; and each
role's backlog now (``backlog``: cases waiting, overdue, the oldest wait), as gauges.

The record is append-only, so the first two only grow, as a Prometheus histogram and counter
must; the API and the worker read the same rows and agree. Aggregate queries only: a scrape
costs a few grouped counts, whatever the number of cases.
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
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from services.workflow.cases.backlog import RoleBacklog, backlogs
from services.workflow.models import CaseEvent
from services.workflow.sla import clock
from services.workflow.sla.report import COMPLETED, StepKey, breaches_per_step
from shared.database.engine import ServiceDatabase
from shared.messaging.queue_metrics import QueueDepthCollector
from shared.runtime.metrics_server import registry_with
from shared.sop import STEPS

# Office minutes: around the 5-minute standard finely, then up to a whole office day (480).
BUCKETS: tuple[float, ...] = (1, 2, 3, 5, 10, 15, 30, 60, 120, 480)


class StepCollector(Collector):
    def __init__(self, database: Callable[[], ServiceDatabase]) -> None:
        self.database = database

    def collect(self) -> Iterator[Metric]:
        with self.database().sessions() as session:
            durations = _durations(session)
            breaches = breaches_per_step(session)
        # Every SOP step, zeros included: a rate or an alert needs the series to exist.
        keys = sorted({(s.number, s.role.value) for s in STEPS} | set(durations) | set(breaches))
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
            count, total, cumulative = durations.get((step, role), (0, 0.0, [0] * len(BUCKETS)))
            buckets = [(_le(bound), n) for bound, n in zip(BUCKETS, cumulative, strict=True)]
            histogram.add_metric(labels, [*buckets, ("+Inf", count)], sum_value=total)
            counter.add_metric(labels, breaches.get((step, role), 0))
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


def _durations(session: Session) -> dict[StepKey, tuple[int, float, list[int]]]:
    """Per step and role: completions, their minutes summed, and how many took at most each
    bucket's bound (already cumulative, as Prometheus buckets are)."""
    minutes = CaseEvent.minutes_taken
    at_most = [func.sum(case((minutes <= bound, 1), else_=0)) for bound in BUCKETS]
    rows = session.execute(
        select(CaseEvent.step, CaseEvent.role, func.count(), func.sum(minutes), *at_most)
        .where(CaseEvent.kind == COMPLETED, minutes.is_not(None))
        .group_by(CaseEvent.step, CaseEvent.role)
    )
    return {
        (row[0], row[1]): (row[2], float(row[3] or 0), [int(n or 0) for n in row[4:]])
        for row in rows
        if row[0] is not None and row[1] is not None
    }


def registry_for(database: Callable[[], ServiceDatabase]) -> CollectorRegistry:
    return registry_with(StepCollector(database), BacklogCollector(database), QueueDepthCollector())
