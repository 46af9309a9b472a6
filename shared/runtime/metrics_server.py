"""Serving Prometheus metrics the same way in every process: an HTTP server on the metrics port
of each Celery worker here, ``/metrics`` on each API in ``shared.web.metrics`` (a worker imports
no web stack).

Every figure is read at scrape time (the service's database, the broker's queue lengths), never
counted in memory: the API and the worker of a service, and their replicas, report the same
numbers, and a restart loses nothing. Collectors expose counts per step, role, queue or channel
only, never a case or a person.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from celery import signals

from shared.runtime.settings import get_settings

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry
    from prometheus_client.registry import Collector

log = logging.getLogger(__name__)


def registry_with(*collectors: Collector) -> CollectorRegistry:
    """A registry of the service's collectors; the caller adds the queue depths every process
    shows (``shared.messaging.queue_metrics``: messaging sits above this layer)."""
    # prometheus_client is imported where it is used: a worker without a metrics port (the
    # default) never imports it, ~7 MiB it would otherwise carry at rest.
    from prometheus_client import CollectorRegistry  # noqa: PLC0415

    # auto_describe off: describing would run a collector's queries at registration.
    registry = CollectorRegistry(auto_describe=False)
    for collector in collectors:
        registry.register(collector)
    return registry


def metrics_port(service: str) -> int | None:
    return get_settings().metrics.port(service)


def serve(port: int, registry: CollectorRegistry, service: str) -> None:
    """Serve ``/metrics`` on ``port`` from a daemon thread of this process."""
    from prometheus_client import start_http_server  # noqa: PLC0415 - see registry_with

    start_http_server(port, registry=registry)
    log.info("%s metrics on port %s", service, port)


def serve_when_worker_ready(service: str, registry: Callable[[], CollectorRegistry]) -> None:
    """Once the Celery worker is ready, serve its metrics on ``<service>_metrics_port`` (unset:
    not served) from the main process, the one that outlives the pool's children. ``registry``
    is called only then: a worker imports its collectors (and prometheus_client) only to serve
    them."""

    def serve_metrics(**_: Any) -> None:
        port = metrics_port(service)
        if port is not None:
            serve(port, registry(), service)

    signals.worker_ready.connect(serve_metrics, weak=False)
