"""Logging staff in: the password check behind the rate limits. The API's token endpoint and the
console's login form both go through ``log_in``, so a lockout counts every attempt, whichever
door it came through."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.workflow.errors import BadCredentials
from services.workflow.models import StaffUser
from services.workflow.staff import accounts
from services.workflow.staff.login_limits import LoginLimits
from shared.runtime.settings import Settings


def log_in(
    session: Session, settings: Settings, *, username: str, password: str, client: str
) -> StaffUser:
    """The staff member, or ``LoginLocked`` (429) while locked out, or ``BadCredentials``
    (401, counted as a failure)."""
    limits = LoginLimits(settings)
    limits.check(username, client)
    try:
        user = accounts.authenticate(session, username, password)
    except BadCredentials:
        limits.record_failure(username, client)
        raise
    limits.record_success(username)
    return user
