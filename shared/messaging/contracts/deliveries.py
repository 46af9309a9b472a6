"""What the notifier reports to the workflow of a notification's deliveries, one message per
notification rather than one per channel (issue 25: the reports were six of a complaint's
tasks)."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.messaging.contracts.messages import Message, NotificationKind
from shared.messaging.contracts.terms import Channel


class ChannelOutcomeV2(BaseModel):
    """One channel's outcome, as ``NotificationDeliveredV1`` carried it on its own."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    channel: Channel
    status: str  # "sent" or "failed"
    detail: str | None = None
    attempts: int | None = None  # tries it took, retries and re-sends included
    fallback: bool = False  # a contact tried because every chosen channel failed for good


class NotificationDeliveredV2(Message):
    """notifier -> workflow: the outcomes of one notification's channels, sent once every
    channel tried for it has settled, or at once when one failed for good (the operators' list
    must not wait on a channel still retrying). A later report repeats the channels already
    reported; the workflow records an outcome only when it took more tries than the one it holds."""

    version: Literal[2] = 2
    tracking_code: str
    kind: NotificationKind
    notification_id: uuid.UUID
    outcomes: tuple[ChannelOutcomeV2, ...] = Field(min_length=1)
