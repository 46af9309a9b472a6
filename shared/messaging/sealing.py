"""Personal data sealed for its trip through the queues.

The complainant's name, email and phone travel from intake to the workflow (``ComplaintFiledV1``)
and from the workflow to the notifier (``NotificationRequestedV1``). A task's arguments sit in
Redis, in Flower's task view and in a dead-letter record, so they carry those fields sealed
(Fernet: AES-CBC with an HMAC), never in clear; only the services, which hold the key, open
them. Flower and the logs show ids only besides (``shared.messaging.outbox.task_summary``).
An access link's one-time token (``contracts.SealedLink``) travels sealed the same way.

The key is derived from the services' shared secret (``PENGADUAN_JWT_SECRET``), as the other
keys of this project are, under a label of its own; while the secret is rotated, what was sealed
under the one before still opens (``jwt_previous_secret``). cryptography's Fernet does the
sealing; only the choice of key is written here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from shared.runtime.settings import get_settings

LABEL = b"pengaduan-personal-data"


class SealBroken(ValueError):
    """Sealed data that does not open: altered, or sealed under a key no longer held."""


@lru_cache(maxsize=4)
def _fernet(secrets: tuple[str, ...]) -> MultiFernet:
    keys = [hmac.new(s.encode(), LABEL, hashlib.sha256).digest() for s in secrets]
    return MultiFernet([Fernet(base64.urlsafe_b64encode(key)) for key in keys])


def _keys() -> MultiFernet:
    return _fernet(tuple(get_settings().jwt_verification_keys()))


def seal(data: dict[str, Any]) -> str:
    """``data`` as one opaque token, under the current key."""
    return _keys().encrypt(json.dumps(data, separators=(",", ":")).encode()).decode()


def unseal(token: str) -> dict[str, Any]:
    """What ``seal`` sealed; ``SealBroken`` (a ValueError, so a message carrying it fails its
    contract's validation) when it does not open."""
    try:
        opened = json.loads(_keys().decrypt(token.encode()))
    except (InvalidToken, ValueError) as exc:
        raise SealBroken("sealed personal data does not open (altered, or a retired key)") from exc
    if not isinstance(opened, dict):
        raise SealBroken("sealed personal data is not an object")
    return opened
