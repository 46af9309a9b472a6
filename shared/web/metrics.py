"""``/metrics`` on each API: the registry ``shared.runtime.metrics_server`` builds, served by
FastAPI; apart from that module so the workers, which serve theirs without FastAPI, never import
it."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CollectorRegistry
from prometheus_client.exposition import choose_encoder


def metrics_router(registry: CollectorRegistry) -> APIRouter:
    """``GET /metrics`` outside the OpenAPI document (it is for the scraper, not for API
    clients), in the format the scraper accepts, as the workers' metrics server chooses it."""
    router = APIRouter()

    @router.get("/metrics", include_in_schema=False)
    def metrics(request: Request) -> Response:
        encode, content_type = choose_encoder(request.headers.get("accept", ""))
        return Response(encode(registry), headers={"Content-Type": content_type})

    return router
