"""Who is using the staff console: the staff JWT (``auth.issue_token``) in an HttpOnly,
SameSite=Strict cookie, checked on every page exactly as the API checks a Bearer token
(``auth.staff_for_token``), so a deactivated account or an expired token is out at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response

from services.workflow.dependencies import SessionDep, SettingsDep
from services.workflow.errors import InvalidToken
from services.workflow.models import StaffUser
from services.workflow.staff.auth import staff_for_token
from shared.runtime.settings import Settings
from shared.sop import ROLE_LABELS, Role

SESSION_COOKIE = "pgd_sesi"
COOKIE_PATH = "/console"
LOGIN_URL = "/console/masuk"


class NotLoggedIn(Exception):
    """No valid session: the console answers with the login page."""


@dataclass(frozen=True)
class StaffView:
    """What a page shows of the person logged in; plain values, readable after the request's
    transaction has ended (an error page is rendered after the rollback)."""

    username: str
    name: str
    role: str
    role_label: str
    unit: str | None = None  # the bidang or seksi, shown beside the role


def start_session(response: Response, token: str, max_age: int, settings: Settings) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=settings.cookies_secure,
    )


def end_session(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=settings.cookies_secure,
    )


def _console_user(request: Request, session: SessionDep, settings: SettingsDep) -> StaffUser:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise NotLoggedIn
    try:
        user = staff_for_token(session, token, settings)
    except InvalidToken as exc:
        raise NotLoggedIn from exc
    request.state.staff = StaffView(
        username=user.username,
        name=user.full_name or user.username,
        role=user.role,
        role_label=ROLE_LABELS[Role(user.role)],
        unit=user.unit,
    )
    return user


ConsoleUser = Annotated[StaffUser, Depends(_console_user)]


def staff_of(request: Request) -> StaffView | None:
    staff: StaffView | None = getattr(request.state, "staff", None)
    return staff
