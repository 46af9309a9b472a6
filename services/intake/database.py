"""The intake service's database handle, one per process."""

from __future__ import annotations

from functools import lru_cache

from shared.database.engine import ServiceDatabase
from shared.process.service_wiring import connect


@lru_cache
def get_db() -> ServiceDatabase:
    return connect("intake")
