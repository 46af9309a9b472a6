"""Tracking codes and access tokens: what a citizen keeps to follow their laporan pengaduan.

The tracking code is for reading aloud and typing; it names the complaint but opens nothing.
The access token is the secret: shown once at filing, stored only as a hash.
"""

from __future__ import annotations

import hmac

# The code's format, its reading and the drawing of codes and tokens are shared with the
# workflow (staff type codes too, and the Admin Pengaduan's console draws them for a complaint
# taken by telephone); re-exported here, where intake's modules look for them.
from shared.messaging.contracts.codes import (
    ALPHABET,
    CODE_PATTERN,
    GROUP_LENGTH,
    GROUPS,
    MAX_ATTEMPTS,
    PREFIX,
    CodeSpaceExhausted,
    hash_access_token,
    new_access_token,
    new_tracking_code,
    normalise_tracking_code,
    under_unused_code,
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


def token_matches(token: str, stored_hash: str) -> bool:
    """Constant-time comparison, so response timing does not leak how much of a hash matched."""
    return hmac.compare_digest(hash_access_token(token), stored_hash)
