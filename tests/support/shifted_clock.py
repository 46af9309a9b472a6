"""A pytest plugin that moves the whole test process's wall clock to ``PENGADUAN_TEST_CLOCK``
(an ISO 8601 moment with its offset), running on from there, so a test that reads the real
clock instead of the one it owns fails on the day it is written, not on the day it is run.

``.ci/run`` runs the fast part of the suite once per date (a Sunday night, 17 August, the last
minute of a year, a year ahead). time-machine moves every wall-clock read of Python's ``time``
and ``datetime`` in every thread and leaves the monotonic clock alone, so timeouts and waits
keep working. Debian 12's libfaketime (0.9.10) cannot do this for Python 3.11: it does not
intercept ``sem_clockwait``, which every timed lock wait uses, so waits under a moved clock hang;
with the monotonic clock left real (``FAKETIME_DONT_FAKE_MONOTONIC``) its ``clock_nanosleep``
turns every ``time.sleep`` into EINVAL. What time-machine does not move: subprocesses, and the
clocks of the PostgreSQL and Redis servers, which no test compares with its own.
"""

from __future__ import annotations

import os
from datetime import datetime

import pytest
import time_machine

SETTING = "PENGADUAN_TEST_CLOCK"
_traveller = pytest.StashKey[time_machine.travel]()


def moment() -> datetime | None:
    value = os.environ.get(SETTING, "").strip()
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise pytest.UsageError(f"{SETTING}={value!r} needs its offset, e.g. +07:00")
    return parsed


def pytest_configure(config: pytest.Config) -> None:
    destination = moment()
    if destination is not None:
        traveller = time_machine.travel(destination, tick=True)
        traveller.start()
        config.stash[_traveller] = traveller


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_traveller, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header() -> str | None:
    destination = moment()
    return None if destination is None else f"clock moved to {destination.isoformat()} ({SETTING})"
