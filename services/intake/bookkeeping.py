"""Intake's shared batch (``contracts.batches.SHARED_BATCHES``): each task whose rows may travel
together to intake's queue, with its contract and the function that applies it. One map, so the
worker's consumer and the tests that run it cannot drift apart."""

from __future__ import annotations

from services.intake.app_channel.inbox import deliver_to_inbox
from services.intake.filing.complaints import apply_answer, apply_status_change
from shared.messaging.batch_consumer import Handler
from shared.messaging.contracts import (
    INTAKE_ANSWERED_TASK,
    INTAKE_INBOX_TASK,
    INTAKE_STATUS_TASK,
    CaseStatusChangedV1,
    ComplaintAnsweredV1,
    InboxMessageV1,
)

BOOKKEEPING_HANDLERS: dict[str, Handler] = {
    INTAKE_STATUS_TASK: (CaseStatusChangedV1, apply_status_change),
    INTAKE_ANSWERED_TASK: (ComplaintAnsweredV1, apply_answer),
    INTAKE_INBOX_TASK: (InboxMessageV1, deliver_to_inbox),
}
