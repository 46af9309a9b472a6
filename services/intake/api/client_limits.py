"""Requests per client address on the citizens' routes that cost something or could be used to
guess: filing (``settings.limits.filing``), tracking lookups (``settings.limits.tracking``) and
access links (``settings.limits.access_link``, and ``access_link_per_code`` per tracking code);
and per partner system's API key on Open311 (``settings.open311.limit``).
Counted in Redis (the broker's) in a moving window, so every API process shares the counts.

The client is ``request.client.host``: uvicorn sets it from X-Forwarded-For only for the proxies
in FORWARDED_ALLOW_IPS, so a client cannot pick its own address. While Redis does not answer,
requests go through uncounted (and a warning is logged): filing must keep working through the
outbox then, and a lookup still needs the access token.
"""

from __future__ import annotations

import logging
import math
import time
from functools import lru_cache
from typing import Annotated, Literal

from fastapi import Depends, Request
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter

from shared.runtime.settings import get_settings
from shared.web.domain_errors import TooManyRequests

log = logging.getLogger(__name__)

KEY_PREFIX = "pengaduan:intake"
# A citizen's request must not hang on a broker that does not answer.
REDIS_TIMEOUT_SECONDS = 1.0

Kind = Literal["filing", "tracking", "access_link", "access_link_per_code"]
# One message for both access-link limits: which one was reached must not matter to the asker.
_ACCESS_LINK_MESSAGE = "Terlalu banyak permintaan tautan akses."
_MESSAGES: dict[Kind, str] = {
    "filing": "Terlalu banyak laporan pengaduan dikirim dari alamat Anda.",
    "tracking": "Terlalu banyak permintaan pelacakan dari alamat Anda.",
    "access_link": _ACCESS_LINK_MESSAGE,
    "access_link_per_code": _ACCESS_LINK_MESSAGE,
}


class RateLimited(TooManyRequests):
    code = "rate_limited"


@lru_cache(maxsize=4)
def _limiter(url: str) -> MovingWindowRateLimiter:
    storage = RedisStorage(
        url,
        key_prefix=KEY_PREFIX,
        wrap_exceptions=True,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    )
    return MovingWindowRateLimiter(storage)


def _item(kind: Kind) -> RateLimitItem:
    limit: str = getattr(get_settings().limits, kind)
    return _parsed(limit)


@lru_cache(maxsize=8)
def _parsed(limit: str) -> RateLimitItem:
    # Parsed once per limit text, not on every request (the settings validated it at start).
    return parse(limit)


def _broker_url() -> str:
    return get_settings().broker.url


def client_of(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def wait_text(seconds: int) -> str:
    """How long to wait, as a person reads it."""
    if seconds < 60:
        return f"{seconds} detik"
    if seconds < 3600:
        return f"{math.ceil(seconds / 60)} menit"
    return f"{math.ceil(seconds / 3600)} jam"


def count(kind: Kind, request: Request) -> None:
    """Count one request of ``kind`` from its client; ``RateLimited`` once over the limit."""
    count_for(kind, client_of(request))


def count_for(kind: Kind, key: str) -> None:
    """Count one request of ``kind`` for ``key`` (a client address, or a tracking code);
    ``RateLimited`` once over the limit."""
    _hit(kind, key, _item(kind), _MESSAGES[kind])


def count_partner(partner: str) -> None:
    """Count one Open311 request of a partner system, by its name (each key its own count,
    whatever address it comes from: a partner's servers file for many citizens)."""
    limit = _parsed(get_settings().open311.limit)
    _hit("open311", partner, limit, "Terlalu banyak permintaan dengan api_key ini.")


def _hit(kind: str, key: str, item: RateLimitItem, message: str) -> None:
    try:
        limiter = _limiter(_broker_url())
        if limiter.hit(item, kind, key):
            return
        wait = max(1, math.ceil(limiter.get_window_stats(item, kind, key).reset_time - time.time()))
    except StorageError as exc:
        log.warning("request limits unavailable, %s not counted: %s", kind, exc.storage_error)
        return
    log.warning("%s limit reached for %s", kind, key)
    raise RateLimited(f"{message} Coba lagi dalam {wait_text(wait)}.", retry_after=wait)


def limit_filing(request: Request) -> None:
    count("filing", request)


def limit_tracking(request: Request) -> None:
    count("tracking", request)


FilingLimit = Annotated[None, Depends(limit_filing)]
TrackingLimit = Annotated[None, Depends(limit_tracking)]
