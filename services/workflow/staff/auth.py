"""Staff credentials: argon2 password hashes and short-lived signed JWTs."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from services.workflow.errors import InvalidToken
from services.workflow.models import StaffUser
from shared.database.engine import utcnow
from shared.runtime.settings import Settings

_hasher = PasswordHasher()
ALGORITHM = "HS256"
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
        return int(_verified_claims(token, settings)["sub"])
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("Sesi telah berakhir, silakan masuk kembali") from exc
    except (jwt.InvalidTokenError, ValueError) as exc:
        raise InvalidToken("Token tidak valid, silakan masuk kembali") from exc


def staff_for_token(session: Session, token: str, settings: Settings) -> StaffUser:
    """The active staff member a token names; ``InvalidToken`` otherwise. The API (Bearer header)
    and the console (session cookie) both ask this."""
    user = session.get(StaffUser, user_id_from_token(token, settings))
    # Checked on every request, so a deactivated account is locked out at once.
    if user is None or not user.active:
        raise InvalidToken("Akun tidak aktif atau tidak ditemukan")
    return user


def _verified_claims(token: str, settings: Settings) -> dict[str, Any]:
    """The claims of a token signed with the current key or, while it is retired, the previous
    one (``jwt_previous_secret``); a token signed with neither is refused."""
    for key in settings.jwt_verification_keys():
        try:
            return jwt.decode(
                token, key, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
            )
        except jwt.InvalidSignatureError:
            continue
    raise jwt.InvalidSignatureError("Signature verification failed")
