"""What a chaos run is asked to do (``Config``) and what it found (``Results``), with the names
every part shares: the kinds of fault, of message and of worker."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

FAULT_TYPES = (
    "kill-worker",
    "restart-redis",
    "redis-outage",
    "smtp-outage",
    "sms-outage",
    "duplicate-delivery",
)
KINDS = ("filed", "registered", "verified", "answer")
WORKERS = ("intake", "workflow", "notifier")
TRANSIENT = (httpx.TransportError,)


@dataclass
class Config:
    complaints: int = 500
    faults: int = 60
    seed: int | None = None
    redis_outage: float = 30.0  # seconds Redis stays stopped in a redis-outage fault
    provider_outage: float = 15.0  # seconds the SMTP server / SMS gateway stays down
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
    emails: int = 0
    sms: int = 0
    seconds: float = 0.0
    settled: bool = False
    workdir: str = ""

    @property
    def ok(self) -> bool:
        return self.settled and not (self.lost or self.duplicated or self.stuck)
