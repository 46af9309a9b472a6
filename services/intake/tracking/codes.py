"""Tracking codes and access tokens: what a citizen keeps to follow their laporan pengaduan.

The tracking code is for reading aloud and typing; it names the complaint but opens nothing.
The access token is the secret: shown once at filing, stored only as a hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import TypeVar

# The code's format and its reading are shared with the workflow (staff type codes too);
# re-exported here, where intake's modules look for them.
from shared.messaging.contracts.codes import (
    ALPHABET,
    CODE_PATTERN,
    GROUP_LENGTH,
    GROUPS,
    PREFIX,
    normalise_tracking_code,
)

__all__ = [
    "ALPHABET",
    "CODE_PATTERN",
    "GROUPS",
    "GROUP_LENGTH",
    "MAX_ATTEMPTS",
    "PREFIX",
    "CodeSpaceExhausted",
    "hash_access_token",
    "new_access_token",
    "new_tracking_code",
    "normalise_tracking_code",
    "token_matches",
    "under_unused_code",
]

MAX_ATTEMPTS = 10

T = TypeVar("T")


class CodeSpaceExhausted(RuntimeError):
    """Ten random codes in a row were taken: the code space is far fuller than it should be."""


def new_tracking_code() -> str:
    """A random code such as ``PGD-7KQ2-M9XD``: not sequential, so it says nothing about others."""
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))
    return "-".join((PREFIX, *groups))


def under_unused_code(take: Callable[[str], T | None]) -> T:
    """What ``take`` makes of a fresh code: it returns None when the code is already in use
    (the one in a trillion chance), and a new code is drawn."""
    for _ in range(MAX_ATTEMPTS):
        taken = take(new_tracking_code())
        if taken is not None:
            return taken
    raise CodeSpaceExhausted("no unused tracking code found")


def new_access_token() -> str:
    """256 random bits, URL-safe: the citizen's only key to their complaint."""
    return secrets.token_urlsafe(32)


def hash_access_token(token: str) -> str:
    """SHA-256 of the token, hex.

    A fast hash is right here, unlike for passwords: slow hashes (argon2, bcrypt) exist to make
    guessing *low-entropy* human passwords from a stolen hash expensive. This token is 256 bits
    from ``secrets``; no amount of guessing finds a preimage, however fast each guess is. A
    fast hash also keeps every tracking request cheap, so it gives no lever for exhausting CPU.
    """
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    """Constant-time comparison, so response timing does not leak how much of a hash matched."""
    return hmac.compare_digest(hash_access_token(token), stored_hash)
