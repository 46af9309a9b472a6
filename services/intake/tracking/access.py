"""The tracking page's access cookie: proof, for a while, that this browser gave the right access
token for one tracking code. A page or an EventSource cannot send the token as a header, and the
token must never sit in an address, so the browser keeps this instead.

The cookie carries no token: an expiry and an HMAC over the code, the expiry and the token's
stored hash, under a key derived from the service's secret. It opens only its own complaint,
only until it expires; it is HttpOnly, SameSite=Strict and scoped to /lacak.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from fastapi import Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.models import Complaint
from services.intake.tracking.codes import CODE_PATTERN
from shared.runtime.settings import get_settings

COOKIE_PREFIX = "pgd_lacak_"
COOKIE_PATH = "/lacak"
ACCESS_SECONDS = 12 * 60 * 60  # an office day: long enough to follow the five steps live


def cookie_name(tracking_code: str) -> str:
    # One cookie per complaint: a browser may follow several. Codes are [A-Z0-9-] only.
    return f"{COOKIE_PREFIX}{tracking_code}"


def grant(response: Response, complaint: Complaint) -> None:
    """Let this browser see ``complaint`` for ``ACCESS_SECONDS``."""
    expires = int(time.time()) + ACCESS_SECONDS
    response.set_cookie(
        cookie_name(complaint.tracking_code),
        f"{expires}.{_mac(complaint, expires)}",
        max_age=ACCESS_SECONDS,
        path=COOKIE_PATH,
        secure=get_settings().cookies_secure,
        httponly=True,
        samesite="strict",
    )


def complaint_for(session: Session, request: Request, tracking_code: str) -> Complaint | None:
    """The complaint, if this request's cookie grants it (and has not expired)."""
    if not CODE_PATTERN.fullmatch(tracking_code):
        return None
    value = request.cookies.get(cookie_name(tracking_code), "")
    expires_text, _, mac = value.partition(".")
    if not expires_text.isascii() or not expires_text.isdigit() or len(expires_text) > 12:
        return None
    expires = int(expires_text)
    if expires < time.time():
        return None
    complaint = session.scalar(select(Complaint).where(Complaint.tracking_code == tracking_code))
    if complaint is None or not hmac.compare_digest(mac, _mac(complaint, expires)):
        return None
    return complaint


def _mac(complaint: Complaint, expires: int) -> str:
    # Bound to the token's hash: the cookie is worth exactly what the token is, for a while.
    text = f"{complaint.tracking_code}|{complaint.access_token_hash}|{expires}"
    return hmac.new(_key(), text.encode(), hashlib.sha256).hexdigest()


def _key() -> bytes:
    # A key of its own, derived from the service's secret (as the CSRF layer's is).
    return hmac.new(get_settings().jwt_key().encode(), b"pengaduan-lacak", hashlib.sha256).digest()
