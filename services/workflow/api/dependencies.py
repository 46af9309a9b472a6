"""The staff API's request dependencies, declared once so every router reads like its signature
(``session: SessionDep, user: CurrentUser``) without importing the app that includes it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from services.workflow.database import get_db
from services.workflow.errors import InvalidToken
from services.workflow.models import StaffUser
from services.workflow.staff.auth import user_id_from_token
from shared.process.service_wiring import request_session
from shared.runtime.settings import Settings, get_settings

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token")

_session = request_session(get_db)

# scope="function": commit before the response is sent, so a 202 means it is on record.
SessionDep = Annotated[Session, Depends(_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def staff_for_token(session: Session, token: str, settings: Settings) -> StaffUser:
    """The active staff member a token names; ``InvalidToken`` otherwise. The API (Bearer header)
    and the console (session cookie) both ask this."""
    user = session.get(StaffUser, user_id_from_token(token, settings))
    # Checked on every request, so a deactivated account is locked out at once.
    if user is None or not user.active:
        raise InvalidToken("Akun tidak aktif atau tidak ditemukan")
    return user


def _current_user(
    token: Annotated[str, Depends(oauth2)], session: SessionDep, settings: SettingsDep
) -> StaffUser:
    return staff_for_token(session, token, settings)


CurrentUser = Annotated[StaffUser, Depends(_current_user)]
