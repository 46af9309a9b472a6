"""Staff credentials: argon2 password hashes and short-lived signed JWTs.

PyJWT (with the cryptography backends it loads) and argon2 are imported by the first login or
token check, not with this module: the workflow worker reaches this module through the step
tasks' claims but never signs, reads or hashes anything, and the two cost its processes about
9 MiB (``python -m tools.bench.stack_memory --each``).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from services.workflow.errors import InvalidToken
from services.workflow.models import StaffUser
from shared.database.engine import utcnow
from shared.runtime.settings import Settings

if TYPE_CHECKING:
    from argon2 import PasswordHasher


@cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher  # noqa: PLC0415 - see the module's docstring

    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so a wrong name costs as long as a wrong
    password."""
    return _hasher().hash("pengaduan-dummy-password")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError  # noqa: PLC0415

    try:
        verified = _hasher().verify(password_hash or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return verified and password_hash is not None


def issue_token(user: StaffUser, settings: Settings) -> tuple[str, int]:
    now = utcnow()
    ttl = timedelta(minutes=settings.auth.jwt_ttl_minutes)
    claims = {
        "sub": str(user.id),
        "username": user.username,
        "role": user.role,
        "iat": now,
        "exp": now + ttl,
        "jti": uuid.uuid4().hex,
    }
    import jwt  # noqa: PLC0415 - see the module's docstring

    from shared.web.staff_tokens import ALGORITHM  # noqa: PLC0415 - it imports PyJWT

    return jwt.encode(claims, settings.jwt_key(), algorithm=ALGORITHM), int(ttl.total_seconds())


def user_id_from_token(token: str, settings: Settings) -> int:
    from shared.web.staff_tokens import StaffTokenRejected, staff_claims  # noqa: PLC0415

    try:
        return staff_claims(token, settings).user_id
    except StaffTokenRejected as exc:
        raise InvalidToken(exc.message) from exc


def staff_for_token(session: Session, token: str, settings: Settings) -> StaffUser:
    """The active staff member a token names; ``InvalidToken`` otherwise. The API (Bearer header)
    and the console (session cookie) both ask this."""
    user = session.get(StaffUser, user_id_from_token(token, settings))
    # Checked on every request, so a deactivated account is locked out at once.
    if user is None or not user.active:
        raise InvalidToken("Akun tidak aktif atau tidak ditemukan")
    return user
