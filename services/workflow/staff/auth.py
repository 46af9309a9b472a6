"""Staff credentials: argon2 password hashes and short-lived signed JWTs."""

from __future__ import annotations

import uuid
from datetime import timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from services.workflow.errors import InvalidToken
from services.workflow.models import StaffUser
from shared.database.engine import utcnow
from shared.runtime.settings import Settings
from shared.web.staff_tokens import ALGORITHM, StaffTokenRejected, staff_claims

_hasher = PasswordHasher()
# Verified against when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("pengaduan-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


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
    return jwt.encode(claims, settings.jwt_key(), algorithm=ALGORITHM), int(ttl.total_seconds())


def user_id_from_token(token: str, settings: Settings) -> int:
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
