"""Serving Prometheus metrics the same way in every process: ``/metrics`` on each API, and an
HTTP server on the metrics port of each Celery worker.

Every figure is read at scrape time (the service's database, the broker's queue lengths), never
counted in memory: the API and the worker of a service, and their replicas, report the same
numbers, and a restart loses nothing. Collectors expose counts per step, role, queue or channel
only, never a case or a person.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import signals
from fastapi import APIRouter, Request, Response
from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector

from shared.runtime.settings import get_settings

log = logging.getLogger(__name__)


def registry_with(*collectors: Collector) -> CollectorRegistry:
    """A registry of the service's collectors; the caller adds the queue depths every process
    shows (``shared.messaging.queue_metrics``: messaging sits above this layer)."""
    # auto_describe off: describing would run a collector's queries at registration.
    registry = CollectorRegistry(auto_describe=False)
    for collector in collectors:
        registry.register(collector)
    return registry


def metrics_router(registry: CollectorRegistry) -> APIRouter:
    """``GET /metrics`` outside the OpenAPI document (it is for the scraper, not for API
    clients), in the format the scraper accepts, as the workers' metrics server chooses it."""
    router = APIRouter()

    @router.get("/metrics", include_in_schema=False)
    def metrics(request: Request) -> Response:
        encode, content_type = choose_encoder(request.headers.get("accept", ""))
        return Response(encode(registry), headers={"Content-Type": content_type})

    return router


def metrics_port(service: str) -> int | None:
    return get_settings().metrics.port(service)


def serve(port: int, registry: CollectorRegistry, service: str) -> None:
    """Serve ``/metrics`` on ``port`` from a daemon thread of this process."""
    start_http_server(port, registry=registry)
    log.info("%s metrics on port %s", service, port)


def serve_when_worker_ready(service: str, registry: Callable[[], CollectorRegistry]) -> None:
    """Once the Celery worker is ready, serve its metrics on ``<service>_metrics_port`` (unset:
    not served) from the main process, the one that outlives the pool's children."""

    def serve_metrics(**_: Any) -> None:
        port = metrics_port(service)
        if port is not None:
            serve(port, registry(), service)

    signals.worker_ready.connect(serve_metrics, weak=False)
