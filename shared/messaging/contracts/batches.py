"""Batches of bookkeeping messages: which tasks the outbox relay may send together, and the
message that carries them.

A batch is whatever rows of one batchable task the relay finds ready at once (one handover
drain, one poll, one redrive pass); in a relay thread these tasks' rows linger a moment for
company (``outbox.batch_linger_seconds``, ``shared.messaging.relay_thread``), other rows never.
Each item is the row's own message, its ``message_id`` kept, so the batch consumer records,
confirms and dead-letters every item as the single consumer would.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.messaging.contracts.tasks import (
    INTAKE_ANSWERED_TASK,
    INTAKE_INBOX_TASK,
    INTAKE_STATUS_TASK,
    WORKFLOW_NOTIFIED_V2_TASK,
)

BATCH_SUFFIX = ".batch"

# Batchable task -> the task that consumes a batch of its messages. The batch task's name starts
# with its items' task name, so ``celery_app.task_routes`` sends it to the same queue.
BATCH_TASKS: dict[str, str] = {
    task: task + BATCH_SUFFIX
    for task in (
        INTAKE_STATUS_TASK,
        INTAKE_ANSWERED_TASK,
        INTAKE_INBOX_TASK,
        WORKFLOW_NOTIFIED_V2_TASK,
    )
}

# At most this many items in one message: a backlog drained at once goes as a few messages of
# moderate size rather than one that a worker holds (and, killed, redoes) as a whole.
MAX_ITEMS = 50

# uuid5 namespace of batch ids: the same rows make the same batch id (a redelivered batch is the
# same task in Flower and the logs).
BATCH_NAMESPACE = uuid.UUID("8d3f0f55-7c52-4b1c-9c0e-5b3f4f0b2a61")


def batch_id(item_ids: list[str]) -> str:
    return str(uuid.uuid5(BATCH_NAMESPACE, ",".join(item_ids)))


class MessageBatchV1(BaseModel):
    """Messages of one task, each item the payload its own row would have carried alone
    (validated by the item task's contract, one by one, in the consumer)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    task: str  # the items' own task name: their dead letters are kept under it
    messages: list[dict[str, Any]] = Field(min_length=1)
