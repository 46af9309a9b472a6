"""The notifier's Prometheus metrics: deliveries per channel and state, and tries per outcome.

Read from the notifier's database at each scrape rather than counted in memory: the figures
survive restarts, agree across worker processes and replicas, and a delivery retrying in a
worker that was killed still counts as retrying. (A gauge per state, not a counter of events:
"how many are failing now" is what an operator alerts on.) The database keeps them as running
counts (``delivery_totals``), so a scrape does not count the whole history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from services.notifier import delivery_totals
from services.notifier.channels.registry import ROUTES
from services.notifier.delivery_totals import ATTEMPT, DELIVERY
from services.notifier.models import AttemptOutcome, DeliveryStatus
from shared.database.engine import ServiceDatabase
from shared.messaging.queue_metrics import QueueDepthCollector
from shared.runtime.metrics_server import registry_with

SHOWN_STATES = (DeliveryStatus.SENT, DeliveryStatus.RETRYING, DeliveryStatus.FAILED)


class DeliveryCollector(Collector):
    def __init__(self, database: Callable[[], ServiceDatabase]) -> None:
        self.database = database

    def collect(self) -> Iterator[Metric]:
        deliveries = GaugeMetricFamily(
            "pengaduan_notifier_deliveries",
            "Notifications per channel and state (sent, retrying, failed for good)",
            labels=["channel", "status"],
        )
        tries = CounterMetricFamily(
            "pengaduan_notifier_delivery_attempts",
            "Tries to deliver a notification, per channel and outcome",
            labels=["channel", "outcome"],
        )
        with self.database().engine.begin() as connection:
            counted = delivery_totals.totals(connection)
        states = {key[1:]: n for key, n in counted.items() if key[0] == DELIVERY}
        outcomes = {key[1:]: n for key, n in counted.items() if key[0] == ATTEMPT}
        # Every channel and state, zeros included: an alert on "failed > 0" needs the series.
        for channel in ROUTES:
            for status in SHOWN_STATES:
                deliveries.add_metric(
                    [channel.value, status.value], states.get((channel, status), 0)
                )
            for outcome in AttemptOutcome:
                tries.add_metric(
                    [channel.value, outcome.value], outcomes.get((channel, outcome), 0)
                )
        yield deliveries
        yield tries


def registry_for(database: Callable[[], ServiceDatabase]) -> CollectorRegistry:
    return registry_with(DeliveryCollector(database), QueueDepthCollector())
