"""The licensing services catalogue as it travels: the workflow, where the office edits it, tells
intake, which lists it publicly and checks a filing's ``service_code`` against its copy."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from shared.licensing_services import ServiceGroup
from shared.messaging.contracts.messages import Message


class ServiceEntryV1(Message):
    """workflow -> intake: one catalogue entry as it now stands (added, renamed, moved to the
    other group, withdrawn or restored). ``revision`` grows with every edit of the entry, so an
    older message arriving late changes nothing."""

    version: Literal[1] = 1
    code: str
    name: str
    group: ServiceGroup
    active: bool  # False: withdrawn; no new complaint may name it, old ones keep it
    revision: int
    updated_at: datetime


class CaseServiceChangedV1(Message):
    """workflow -> intake: the Kasi corrected which licensing service a complaint is about."""

    version: Literal[1] = 1
    tracking_code: str
    service_code: str | None
    changed_at: datetime
