"""What the staff API and the console both take by signature: the request's transaction and the
settings, declared once so that a route and the dependencies it pulls in share one session."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from services.workflow.database import get_db
from shared.attachments import AttachmentStore, open_store
from shared.process.service_wiring import request_session
from shared.runtime.settings import Settings, get_settings

_session = request_session(get_db)

# scope="function": commit before the response is sent, so a 202 means it is on record.
SessionDep = Annotated[Session, Depends(_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def _store(settings: SettingsDep) -> AttachmentStore:
    return open_store(settings.attachments)


# The attachment store the settings name: intake writes there, the workflow reads.
StoreDep = Annotated[AttachmentStore, Depends(_store)]
