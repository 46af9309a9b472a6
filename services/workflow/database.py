"""The workflow service's database handle, one per process."""

from __future__ import annotations

from functools import lru_cache

from shared.db import ServiceDatabase
from shared.service_runtime import connect


@lru_cache
def get_db() -> ServiceDatabase:
    return connect("workflow")
