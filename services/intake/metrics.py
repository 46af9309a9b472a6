"""The intake's Prometheus metrics: complaints filed, and those whose answer reached the
complainant, read from the intake's database at scrape time as running counts
(``complaint_totals``): the scrape does not count the whole history."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

from services.intake import complaint_totals
from shared.database.engine import ServiceDatabase
from shared.messaging.queue_metrics import QueueDepthCollector
from shared.runtime.metrics_server import registry_with


class ComplaintCollector(Collector):
    def __init__(self, database: Callable[[], ServiceDatabase]) -> None:
        self.database = database

    def collect(self) -> Iterator[Metric]:
        with self.database().engine.begin() as connection:
            counted = complaint_totals.totals(connection)
        filed, answered = counted[complaint_totals.FILED], counted[complaint_totals.ANSWERED]
        yield CounterMetricFamily(
            "pengaduan_intake_complaints_filed", "Complaints filed (laporan pengaduan)", filed
        )
        yield CounterMetricFamily(
            "pengaduan_intake_complaints_answered",
            "Complaints whose answer was sent to the complainant",
            answered,
        )


def registry_for(database: Callable[[], ServiceDatabase]) -> CollectorRegistry:
    return registry_with(ComplaintCollector(database), QueueDepthCollector())
