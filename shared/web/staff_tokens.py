"""Staff Bearer tokens as every API reads them: the workflow issues them at login
(``services.workflow.staff.auth``), and intake checks one when the Admin Pengaduan files a
complaint taken by telephone, at the desk or by letter. One secret (``settings.auth``), one
algorithm, one reading, so the two services cannot disagree on what a valid token is.

Intake cannot read the staff accounts (they are the workflow's tables): it trusts the signed
``username`` and ``role`` claims until the token expires (``PENGADUAN_JWT_TTL_MINUTES``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt

from shared.runtime.settings import Settings

ALGORITHM = "HS256"
EXPIRED_MESSAGE = "Sesi telah berakhir, silakan masuk kembali"
INVALID_MESSAGE = "Token tidak valid, silakan masuk kembali"


class StaffTokenRejected(Exception):
    """A token that is expired, forged, malformed or signed with a retired key; ``message`` is
    what a person reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StaffClaims:
    user_id: int
    username: str
    role: str


def verified_claims(token: str, settings: Settings) -> dict[str, Any]:
    """The claims of a token signed with the current key or, while it is retired, the previous
    one (``jwt_previous_secret``); ``jwt`` errors otherwise."""
    for key in settings.jwt_verification_keys():
        try:
            return jwt.decode(
                token, key, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
            )
        except jwt.InvalidSignatureError:
            continue
    raise jwt.InvalidSignatureError("Signature verification failed")


def staff_claims(token: str, settings: Settings) -> StaffClaims:
    """Who a valid token names; ``StaffTokenRejected`` with the reason in Indonesian otherwise."""
    try:
        claims = verified_claims(token, settings)
        return StaffClaims(
            user_id=int(claims["sub"]),
            username=str(claims.get("username", "")),
            role=str(claims.get("role", "")),
        )
    except jwt.ExpiredSignatureError as exc:
        raise StaffTokenRejected(EXPIRED_MESSAGE) from exc
    except (jwt.InvalidTokenError, ValueError, TypeError) as exc:
        raise StaffTokenRejected(INVALID_MESSAGE) from exc
