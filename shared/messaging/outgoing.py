"""What the outbox relay sends of its rows: one ``Outgoing`` per row, the rows of a batchable
task found together as one batch message (``batched``), and what a committed transaction hands
the relay (``Handover``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.database.shared_tables import OutboxMessage
from shared.messaging.contracts.batches import BATCH_TASKS, MAX_ITEMS, SHARED_BATCHES, batch_id


@dataclass(frozen=True)
class Outgoing:
    """What the relay sends of a row: read off it while its session is open."""

    id: str
    task_name: str
    payload: dict[str, Any]
    request_id: str | None

    @classmethod
    def of(cls, row: OutboxMessage) -> Outgoing:
        return cls(row.id, row.task_name, row.payload, row.request_id)

    @property
    def bookkeeping(self) -> bool:
        """A row of a batchable task (``contracts.batches.BATCH_TASKS``): a relay thread may hold
        it back a moment for company (``relay_thread``); every other row leaves at once."""
        return self.task_name in BATCH_TASKS


def batched(rows: tuple[Outgoing, ...]) -> list[Outgoing]:
    """What goes to the broker for ``rows``: the rows of the batchable tasks
    (``contracts.batches.BATCH_TASKS``) found together as one batch message per batch they may
    share (``SHARED_BATCHES``: the tasks bound for one queue; else each task's own), in chunks
    of ``MAX_ITEMS``; every other row as itself. A chunk of one task's rows is that task's batch
    (``MessageBatchV1``), a chunk of several tasks' the shared batch (``MixedBatchV1``). A lone
    row also goes as itself: the single task stays consumed anyway (messages queued before
    batches), and a batch of one would cost its consumer a savepoint and Flower a less telling
    task name for nothing. The batch's task id is derived from its rows' ids, so a copy of it is
    the same task."""
    sent: list[Outgoing] = []
    groups: dict[str, list[Outgoing]] = {}
    for row in rows:
        if row.task_name in BATCH_TASKS:
            shared = SHARED_BATCHES.get(row.task_name, BATCH_TASKS[row.task_name])
            groups.setdefault(shared, []).append(row)
        else:
            sent.append(row)
    for shared, members in groups.items():
        for start in range(0, len(members), MAX_ITEMS):
            chunk = members[start : start + MAX_ITEMS]
            if len(chunk) == 1:
                sent.append(chunk[0])
            else:
                sent.append(_batch(shared, chunk))
    return sent


def _batch(shared: str, chunk: list[Outgoing]) -> Outgoing:
    ids = [row.id for row in chunk]
    tasks = {row.task_name for row in chunk}
    if len(tasks) == 1:
        [task] = tasks
        task_name = BATCH_TASKS[task]
        payload = {"task": task, "messages": [row.payload for row in chunk]}
    else:
        task_name = shared
        payload = {"items": [{"task": row.task_name, "message": row.payload} for row in chunk]}
    return Outgoing(batch_id(ids), task_name, payload, chunk[0].request_id)


@dataclass(frozen=True)
class Handover:
    """What a committed transaction leaves the relay: its own rows, leased to the relay since
    their insert, and whether it set published rows back to pending (those wait for a poll)."""

    rows: tuple[Outgoing, ...]
    rearmed: bool
