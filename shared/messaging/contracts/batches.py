"""Batches of bookkeeping messages: which tasks the outbox relay may send together, and the
message that carries them.

A batch is whatever rows of one batchable task the relay finds ready at once (one handover
drain, one poll, one redrive pass); in a relay thread these tasks' rows linger a moment for
company (``outbox.batch_linger_seconds``, ``shared.messaging.relay_thread``), other rows never.
Each item is the row's own message, its ``message_id`` kept, so the batch consumer records,
confirms and dead-letters every item as the single consumer would.

Rows of several batchable tasks bound for the same queue travel together too (issue 25): the
rows found ready at once are grouped by the batch they may share (``SHARED_BATCHES``, per
destination queue); a group of one task goes as that task's batch (``MessageBatchV1``), a group
of several as the queue's shared batch (``MixedBatchV1``), each item naming its own task.
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

# Intake's queue takes the status changes, answers and inbox hand-overs together: one consumer
# (``shared.messaging.batch_consumer.mixed_batch_consumer``) dispatches each item to its task's
# handler. The name starts with "intake.", so ``celery_app.task_routes`` sends it to intake.
INTAKE_BOOKKEEPING_BATCH_TASK = "intake.bookkeeping" + BATCH_SUFFIX

# Batchable task -> the batch its rows share with other tasks' rows bound for the same queue;
# a task not here (the workflow's delivery reports, alone on their queue) has its own batch only.
SHARED_BATCHES: dict[str, str] = {
    INTAKE_STATUS_TASK: INTAKE_BOOKKEEPING_BATCH_TASK,
    INTAKE_ANSWERED_TASK: INTAKE_BOOKKEEPING_BATCH_TASK,
    INTAKE_INBOX_TASK: INTAKE_BOOKKEEPING_BATCH_TASK,
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


class BatchItemV1(BaseModel):
    """One item of a shared batch: its task's name and the payload its row would have carried
    alone."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    task: str
    message: dict[str, Any]


class MixedBatchV1(BaseModel):
    """Messages of several tasks bound for one queue (``SHARED_BATCHES``), each item validated
    by its own task's contract and applied by its own task's handler in the consumer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    items: list[BatchItemV1] = Field(min_length=1)
