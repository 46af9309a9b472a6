"""The tracking code every message carries, and how a person's typing of it is read.

Codes and access tokens are drawn here: by intake for a citizen's filing
(``services.intake.tracking.codes``), by the workflow for a complaint the Admin Pengaduan takes
(its receipt is printed before intake has filed it). The citizen types them on the
portal and in the API's path, staff type them in the console's search and in a duplicate's
``original_tracking_code``. Every one of those goes through ``normalise_tracking_code``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from typing import TypeVar

# Crockford's base32: digits and capitals without I, L, O and U, so nothing reads as another
# character (and no accidental words). Eight symbols give 40 random bits per code.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "PGD"
GROUPS = 2
GROUP_LENGTH = 4
CODE_PATTERN = re.compile(rf"^{PREFIX}(-[{ALPHABET}]{{{GROUP_LENGTH}}}){{{GROUPS}}}\Z")

# What a person may type for each symbol the alphabet leaves out.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
# What may stand between the groups: spaces of any kind, dashes of any kind, dots.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.]+")


def normalise_tracking_code(typed: str) -> str:
    """The code as stored (``PGD-05HF-7RZG``) from what a person typed: any case, with or without
    dashes or spaces, with or without the prefix, O for 0, I or L for 1. What cannot be a code
    comes back trimmed and upper-cased, and matches no ``CODE_PATTERN``."""
    compact = _SEPARATORS.sub("", typed.strip().upper())
    symbols = GROUPS * GROUP_LENGTH
    body = compact.removeprefix(PREFIX) if len(compact) == len(PREFIX) + symbols else compact
    if len(body) != symbols:
        return typed.strip().upper()
    body = body.translate(_LOOKALIKES)
    groups = (body[i : i + GROUP_LENGTH] for i in range(0, symbols, GROUP_LENGTH))
    return "-".join((PREFIX, *groups))


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
