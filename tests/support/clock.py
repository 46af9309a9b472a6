"""A test clock for the workflow's SOP timing: it starts at a chosen moment (an office-hours
Monday morning by default, whatever day the tests run on), runs on with real time so arrivals
keep their order, and jumps when a test moves it. Injected through
``services.workflow.sla.clock``."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")
MONDAY_MORNING = datetime(2026, 11, 30, 9, 0, tzinfo=WIB)


class TestClock:
    __test__ = False  # not a test class, for pytest

    def __init__(self, start: datetime = MONDAY_MORNING, *, running: bool = True) -> None:
        self._start = start
        self._origin = time.monotonic()
        self._running = running

    def __call__(self) -> datetime:
        elapsed = time.monotonic() - self._origin if self._running else 0.0
        return (self._start + timedelta(seconds=elapsed)).astimezone(ZoneInfo("UTC"))

    def set(self, moment: datetime) -> None:
        self._start = moment
        self._origin = time.monotonic()

    def freeze_at(self, moment: datetime) -> None:
        """Stand still at ``moment`` (until ``set`` or ``advance`` moves it)."""
        self._running = False
        self.set(moment)

    def advance(self, **delta: float) -> datetime:
        self.set(self() + timedelta(**delta))
        return self()
