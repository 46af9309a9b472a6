"""Personal data erased (UU 27/2022 on personal data protection): the workflow decides, after
the retention time or on the complainant's request, and every service erases its own copy."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from shared.messaging.contracts.messages import Message


class ErasureReason(StrEnum):
    RETENTION = "retention"  # the retention time after closing passed (the daily sweep)
    REQUEST = "request"  # the complainant asked, after the case closed


class ErasureRequestedV1(Message):
    """intake -> workflow: the complainant (holding the access token) asks for their personal
    data to be erased now; the workflow erases only a closed case, and tells every service."""

    version: Literal[1] = 1
    tracking_code: str


class ComplaintErasedV1(Message):
    """workflow -> intake and workflow -> notifier (one message to each): the complainant's
    name, contacts and free text of ``tracking_code`` are to be replaced by the erasure marker
    everywhere; the case's figures (dates, steps, statuses, service) stay. Carries the code
    only, so the erasure itself puts nothing personal on the queue."""

    version: Literal[1] = 1
    tracking_code: str
    reason: ErasureReason
    erased_at: datetime


# What every service writes in place of what it erased (Bahasa Indonesia: staff read it).
ERASED_MARKER = "[data pribadi dihapus]"
