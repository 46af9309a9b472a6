"""The workflow's clock: every "now" of the SOP's timing is read here, so tests drive time
explicitly (``frozen_at``) instead of sleeping, and the production clock is the system's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from shared.database.engine import utcnow

_source: Callable[[], datetime] = utcnow


def now() -> datetime:
    return _source()


@contextmanager
def driven_by(source: Callable[[], datetime]) -> Iterator[None]:
    """Read the time from ``source`` inside the block (tests: a settable, frozen clock)."""
    global _source  # noqa: PLW0603 - the one injection point, restored on exit
    previous, _source = _source, source
    try:
        yield
    finally:
        _source = previous
