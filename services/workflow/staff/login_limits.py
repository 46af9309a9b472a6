"""Login rate limiting: repeated failed logins lock out a username, and a client address, for a
while. The counters live in Redis (the broker's), so every API process sees the same ones.

A lock is keyed on the username as typed, whether or not such a user exists, so a lockout never
tells an attacker which usernames are real. A success clears the username's failures but not the
client's: one valid account must not let a client keep guessing at others.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import RedisStorage
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from shared.runtime.settings import Settings
from shared.web.domain_errors import TooManyRequests

log = logging.getLogger(__name__)

KEY_PREFIX = "pengaduan:login"
# A login must not hang on a broker that does not answer; see _fail_open.
REDIS_TIMEOUT_SECONDS = 1.0


class LoginLocked(TooManyRequests):
    code = "login_locked"


@lru_cache(maxsize=4)
def _storage(url: str) -> RedisStorage:
    return RedisStorage(
        url,
        key_prefix=KEY_PREFIX,
        wrap_exceptions=True,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    )


def _subject(kind: str, value: str) -> str:
    # Hashed: a key of bounded length and alphabet whatever a client sends as a username.
    return f"{kind}:{hashlib.sha256(value.strip().casefold().encode()).hexdigest()[:32]}"


def wait_text(seconds: int) -> str:
    """How long to wait, as a person reads it."""
    if seconds < 60:
        return f"{seconds} detik"
    return f"{math.ceil(seconds / 60)} menit"


@dataclass(frozen=True)
class LoginLimits:
    """Failures are counted in a moving window; reaching the limit sets a lock of its own length."""

    settings: Settings

    @property
    def _failures(self) -> MovingWindowRateLimiter:
        return MovingWindowRateLimiter(_storage(self.settings.broker.url))

    @property
    def _locks(self) -> FixedWindowRateLimiter:
        return FixedWindowRateLimiter(_storage(self.settings.broker.url))

    def _failure_item(self, limit: int) -> RateLimitItem:
        window = self.settings.auth.login_failure_window_seconds
        return RateLimitItemPerSecond(limit, window, namespace="failures")

    def _lock_item(self) -> RateLimitItem:
        return RateLimitItemPerSecond(1, self.settings.auth.login_lockout_seconds, namespace="lock")

    def _subjects(self, username: str, client: str) -> list[tuple[str, int]]:
        return [
            (_subject("user", username), self.settings.auth.login_max_failures_per_username),
            (_subject("client", client), self.settings.auth.login_max_failures_per_client),
        ]

    def check(self, username: str, client: str) -> None:
        """Raise ``LoginLocked`` while the username or the client is locked out."""
        with _fail_open("check"):
            lock = self._lock_item()
            waits = [
                self._locks.get_window_stats(lock, subject).reset_time - time.time()
                for subject, _ in self._subjects(username, client)
                if not self._locks.test(lock, subject)
            ]
            if waits:
                raise _locked(max(waits))

    def record_failure(self, username: str, client: str) -> None:
        """Count a failed login; raise ``LoginLocked`` if it was one too many."""
        with _fail_open("record_failure"):
            locked = False
            for subject, limit in self._subjects(username, client):
                item = self._failure_item(limit)
                self._failures.hit(item, subject)
                if not self._failures.test(item, subject):
                    self._locks.hit(self._lock_item(), subject)
                    self._failures.clear(item, subject)
                    locked = True
            if locked:
                raise _locked(self.settings.auth.login_lockout_seconds)

    def record_success(self, username: str) -> None:
        with _fail_open("record_success"):
            subject = _subject("user", username)
            self._failures.clear(
                self._failure_item(self.settings.auth.login_max_failures_per_username), subject
            )


def _locked(seconds: float) -> LoginLocked:
    wait = max(1, math.ceil(seconds))
    return LoginLocked(
        "Terlalu banyak percobaan masuk yang gagal. Demi keamanan, coba lagi dalam "
        f"{wait_text(wait)}.",
        retry_after=wait,
    )


@contextmanager
def _fail_open(what: str) -> Iterator[None]:
    # Staff must still be able to log in while Redis is down (the APIs keep working through the
    # outbox then); the passwords are still checked, only the counting pauses.
    try:
        yield
    except StorageError as exc:
        log.warning("login limits unavailable (%s), not counting: %s", what, exc.storage_error)
