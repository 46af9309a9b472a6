"""The staff API's own dependency: the staff member its Bearer token names, declared once so
every router reads like its signature (``session: SessionDep, user: CurrentUser``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

from services.workflow.dependencies import SessionDep, SettingsDep
from services.workflow.models import StaffUser
from services.workflow.staff.auth import staff_for_token

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token")


def _current_user(
    token: Annotated[str, Depends(oauth2)], session: SessionDep, settings: SettingsDep
) -> StaffUser:
    return staff_for_token(session, token, settings)


CurrentUser = Annotated[StaffUser, Depends(_current_user)]
