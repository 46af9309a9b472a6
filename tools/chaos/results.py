"""What a chaos run is asked to do (``Config``) and what it found (``Results``), with the names
every part shares: the kinds of fault, of message and of worker."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tools.chaos.database_faults import DATABASE_FAULTS

# The faults of every run; the database's depend on its backend (tools.chaos.database_faults).
BASE_FAULTS = (
    "kill-worker",
    "restart-redis",
    "redis-outage",
    "smtp-outage",
    "sms-outage",
    "duplicate-delivery",
)
FAULT_TYPES = BASE_FAULTS + DATABASE_FAULTS
# How often each kind is drawn once every kind has had its turn: killing weighs heaviest.
FAULT_WEIGHTS = {
    "kill-worker": 6,
    "restart-redis": 1,
    "redis-outage": 1,
    "smtp-outage": 1,
    "sms-outage": 1,
    "duplicate-delivery": 3,
    "restart-database": 2,
    "database-outage": 1,
    "service-database-away": 1,
    "connection-limit": 1,
    "sqlite-locked": 2,
}
KINDS = ("filed", "registered", "verified", "answer")
WORKERS = ("intake", "workflow", "notifier")
TRANSIENT = (httpx.TransportError,)


@dataclass
class Config:
    complaints: int = 2000
    faults: int = 100
    seed: int | None = None
    redis_outage: float = 30.0  # seconds Redis stays stopped in a redis-outage fault
    provider_outage: float = 15.0  # seconds the SMTP server / SMS gateway stays down
    # Seconds a database stays away: the server stopped, or one service's database refusing
    # connections; drawn from this range for each such fault.
    database_outage: tuple[float, float] = (30.0, 120.0)
    # Seconds every connection slot stays taken, or a SQLite file stays locked (at least 16 s).
    database_hold: tuple[float, float] = (10.0, 30.0)
    heal_timeout: float = 300.0  # a fault not healed by then is reported as such
    fault_gap: tuple[float, float] = (1.0, 6.0)  # pause between two faults
    file_interval: float = 0.25  # pause between two filings
    staff_per_role: int = 3  # concurrent hands per role
    settle_timeout: float = 600.0  # how long to wait for quiet at the end
    workdir: Path | None = None
    keep: bool = False  # keep the work directory (logs, databases, Redis AOF)


@dataclass
class Results:
    seed: int
    complaints_accepted: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    filing_errors: Counter[str] = field(default_factory=Counter)
    staff_errors: Counter[str] = field(default_factory=Counter)
    conflicts_after_retry: int = 0  # 409 for a retried completion: the earlier try had succeeded
    conflicts_stale: int = 0  # 409 on a first try: the worklist read was stale
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    at_least_once: list[str] = field(default_factory=list)  # the documented window, explained
    stuck: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)  # workers that exited by themselves
    dead_letters: int = 0  # messages kept as failed: none is unfixable in a chaos run
    heals: dict[str, list[float]] = field(default_factory=dict)  # seconds to heal, by kind
    unhealed: list[str] = field(default_factory=list)  # faults not healed in time
    memory_before: dict[str, float] = field(default_factory=dict)  # PSS MiB by service
    memory_after: dict[str, float] = field(default_factory=dict)
    # PSS MiB by service after each fault healed: whether memory levels off through the run.
    memory_series: list[dict[str, float]] = field(default_factory=list)
    emails: int = 0
    sms: int = 0
    seconds: float = 0.0
    settled: bool = False
    workdir: str = ""

    @property
    def ok(self) -> bool:
        return self.settled and not (
            self.lost or self.duplicated or self.stuck or self.dead_letters or self.unhealed
        )
