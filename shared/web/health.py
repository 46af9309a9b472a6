"""Readiness of an API process: ``GET /readyz`` checks the service's database and Redis.

``/healthz`` (liveness) stays in each API and touches nothing: a dead database must not get a
live process restarted. ``/readyz`` is what a load balancer or compose's healthcheck asks before
sending traffic. Its body names each check and whether it passed, never the error itself: the
error may carry a host, a URL or a query, and the endpoint answers anyone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import redis
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from shared.database.engine import ServiceDatabase
from shared.runtime.settings import get_settings

log = logging.getLogger(__name__)

# Short: a healthcheck that waits longer than the prober is worse than one that fails.
REDIS_TIMEOUT_SECONDS = 1.0


def check_database(database: Callable[[], ServiceDatabase]) -> None:
    with database().engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def check_redis() -> None:
    client = redis.Redis.from_url(
        get_settings().broker.url,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    finally:
        client.close()


def _outcome(name: str, check: Callable[[], None]) -> str:
    try:
        check()
    # Any failure, whatever its type, means "not ready": the endpoint answers 503, never 500.
    except Exception as exc:
        # The message goes to the log only: drivers name the host there, not the password.
        log.warning("readiness check %s failed: %s: %s", name, type(exc).__name__, exc)
        return "failed"
    return "ok"


def readiness(database: Callable[[], ServiceDatabase]) -> tuple[bool, dict[str, str]]:
    checks = {
        "database": _outcome("database", lambda: check_database(database)),
        "redis": _outcome("redis", check_redis),
    }
    return all(result == "ok" for result in checks.values()), checks


def readiness_router(database: Callable[[], ServiceDatabase]) -> APIRouter:
    """``GET /readyz`` outside the OpenAPI document, like ``/healthz``."""
    router = APIRouter()

    # A plain def: the checks block, so FastAPI runs them in its thread pool.
    @router.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        ready, checks = readiness(database)
        return JSONResponse(
            {"status": "ok" if ready else "unavailable", "checks": checks},
            status_code=200 if ready else 503,
            headers={"Cache-Control": "no-store"},
        )

    return router
