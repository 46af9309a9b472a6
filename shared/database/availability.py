"""Telling "the database is away" from "this cannot work", and riding out the first.

A database restarting for an upgrade, failing over, out of connections, out of disk, or a SQLite
file another process holds locked: every try fails until it is back, and then the same work
succeeds. Such a failure must never turn a message into a dead letter, nor a request into a 500.
Everything else a database says (a constraint refused, a column missing, a deadlock) is for the
caller's ordinary error handling.

SQLAlchemy has no such classification (``connection_invalidated`` covers only a connection that
broke under it), so the rules are written here, from PostgreSQL's SQLSTATE classes and SQLite's
result codes.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy import exc as sa_exc
from tenacity import (
    RetryCallState,
    RetryError,
    Retrying,
    retry_if_exception,
    stop_after_delay,
    wait_exponential_jitter,
)

from shared.runtime.settings import get_settings

log = logging.getLogger(__name__)

T = TypeVar("T")
P = ParamSpec("P")

# PostgreSQL SQLSTATEs (and classes, by their first two characters) that say the server cannot
# take work now: 08 connection exception, 53 insufficient resources (too many connections, disk
# full, out of memory), 58 system error (I/O), 57P01-57P03 shut down or starting up, 25006 a
# read-only transaction (a standby, during a failover).
_PG_CLASSES = ("08", "53", "58")
_PG_STATES = ("57P01", "57P02", "57P03", "25006")
# SQLite's primary result codes for the same: busy, locked, read-only, I/O error, full, cannot
# open, protocol (a lock that kept changing hands).
_SQLITE_CODES = {5, 6, 8, 10, 13, 14, 15}
# How deep to look through ``__cause__``: a domain error raised from a database error.
_CAUSE_DEPTH = 4


class DatabaseAway(RuntimeError):
    """The database stayed unavailable for the whole of the patience given."""


def database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) says the database cannot be reached or cannot take
    work for now, so the same work will succeed once it is back."""
    current: BaseException | None = error
    for _ in range(_CAUSE_DEPTH):
        if current is None:
            return False
        if _unavailable(current):
            return True
        current = current.__cause__
    return False


def _unavailable(error: BaseException) -> bool:
    if isinstance(error, sa_exc.TimeoutError | sa_exc.DisconnectionError):
        return True  # no pooled connection freed in time; a connection found dead
    if not isinstance(error, sa_exc.DBAPIError):
        return False
    return error.connection_invalidated or _driver_says_unavailable(error)


def _driver_says_unavailable(error: sa_exc.DBAPIError) -> bool:
    orig = error.orig
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _SQLITE_CODES
    state = getattr(orig, "sqlstate", None)
    if state is None:
        # psycopg's own failures before the server said anything: the connection could not be
        # made, or the server closed it.
        return isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError)
    return bool(state.startswith(_PG_CLASSES) or state in _PG_STATES)


def through_outages(work: Callable[[], T], what: str) -> T:
    """Run ``work``, and run it again while the database is unavailable, with a growing pause,
    for up to the settings' patience; then raise ``DatabaseAway``. ``work`` must be safe to run
    again: a transaction that failed committed nothing, and consumers skip what they applied."""
    settings = get_settings().database

    def note(state: RetryCallState) -> None:
        # The first failed try and every tenth after it: enough to see an outage in the log.
        if state.attempt_number % 10 == 1 and state.outcome is not None:
            log.warning(
                "%s: database unavailable (try %d, %.0f s so far), trying again: %s",
                what,
                state.attempt_number,
                state.seconds_since_start or 0.0,
                state.outcome.exception(),
            )

    retrying = Retrying(
        retry=retry_if_exception(database_unavailable),
        wait=wait_exponential_jitter(
            multiplier=0.25, max=settings.outage_backoff_max_seconds, jitter=0.5
        ),
        stop=stop_after_delay(settings.outage_patience_seconds),
        before_sleep=note,
    )
    try:
        return retrying(work)
    except RetryError as error:
        last = error.last_attempt.exception()
        raise DatabaseAway(
            f"{what}: database unavailable for {settings.outage_patience_seconds:.0f} s: {last}"
        ) from last


def skipped_while_away(what: str) -> Callable[[Callable[P, str]], Callable[P, str]]:
    """For a periodic sweep whose next run is its retry: a run that finds the database away
    ends quietly (a warning, its result says why) instead of failing with a traceback each tick
    of an outage (Flower would list every one as a failed task)."""

    def wrap(sweep: Callable[P, str]) -> Callable[P, str]:
        @functools.wraps(sweep)
        def run(*args: P.args, **kwargs: P.kwargs) -> str:
            try:
                return sweep(*args, **kwargs)
            except Exception as error:
                if not database_unavailable(error):
                    raise
                log.warning("%s skipped, the database is unavailable: %s", what, error)
                return "skipped: database unavailable"

        return run

    return wrap
