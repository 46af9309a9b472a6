"""The consumer of a batch (``shared.messaging.contracts.batches``): every item handled as the
single consumer (``shared.messaging.consumer``) handles its message, in one transaction.

Per item: its own inbox record (a copy of an item, alone or in another batch, is dropped), its
own SAVEPOINT (an item that fails is rolled back alone and kept as a dead letter of its own task,
in the same transaction, while the others apply), and after the commit its own receipt (the
relay's redrive looks receipts up per row). An error worth another try (the database away, a
consumer's ``retry_for``) tries the whole batch again (``shared.messaging.settling``): nothing
of it was committed, and the next try skips nothing it should not, since each item's inbox
record is what decides.

A shared batch (``MixedBatchV1``: rows of several tasks bound for one queue) is consumed the
same way by ``mixed_batch_consumer``, each item dispatched to its own task's contract and
handler; its inbox record, receipt and dead letter are its own task's, as if it came alone.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from celery import Celery, Task
from celery.exceptions import Reject
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.database.availability import database_unavailable
from shared.database.engine import ServiceDatabase
from shared.messaging import receipts
from shared.messaging.consumer import M, TaskOptions
from shared.messaging.contracts import Message
from shared.messaging.contracts.batches import BATCH_TASKS, MessageBatchV1, MixedBatchV1
from shared.messaging.dead_letters import keep
from shared.messaging.inbox import already_processed, mark_processed
from shared.messaging.settling import TRANSIENT_ERRORS, ConsumerTask
from shared.runtime.faults import checkpoint
from shared.runtime.log_context import ids_of, log_scope

log = logging.getLogger(__name__)

# Either batch contract.
B = TypeVar("B", MessageBatchV1, MixedBatchV1)

# A task's part in a shared batch: its message contract and the function that applies it.
Handler = tuple[type[Message], Callable[[Session, Any], None]]


def batch_consumer(
    app: Celery,
    *,
    name: str,
    contract: type[M],
    database: Callable[[], ServiceDatabase],
    options: TaskOptions | None = None,
    retry_for: tuple[type[Exception], ...] = (),
) -> Callable[[Callable[[Session, M], None]], Task]:
    """Register ``fn`` (the single consumer's own function) as the consumer of batches of
    ``name``'s messages, under ``BATCH_TASKS[name]``."""

    def register(fn: Callable[[Session, M], None]) -> Task:
        return _batch_task(
            app,
            name=BATCH_TASKS[name],
            contract=MessageBatchV1,
            items=lambda batch: [(name, payload) for payload in batch.messages],
            handlers={name: (contract, fn)},
            database=database,
            options=options,
            retry_for=retry_for,
        )

    return register


def mixed_batch_consumer(
    app: Celery,
    *,
    name: str,
    handlers: Mapping[str, Handler],
    database: Callable[[], ServiceDatabase],
    options: TaskOptions | None = None,
    retry_for: tuple[type[Exception], ...] = (),
) -> Task:
    """Register the consumer of the shared batch ``name`` (``MixedBatchV1``): each item applied
    by ``handlers[item.task]``, the single consumers' own functions."""
    return _batch_task(
        app,
        name=name,
        contract=MixedBatchV1,
        items=lambda batch: [(item.task, item.message) for item in batch.items],
        handlers=handlers,
        database=database,
        options=options,
        retry_for=retry_for,
    )


def _batch_task(
    app: Celery,
    *,
    name: str,
    contract: type[B],
    items: Callable[[B], list[tuple[str, dict[str, Any]]]],
    handlers: Mapping[str, Handler],
    database: Callable[[], ServiceDatabase],
    options: TaskOptions | None,
    retry_for: tuple[type[Exception], ...],
) -> Task:
    """The one task both kinds of batch run as: a batch its contract refuses can never apply
    (kept as a dead letter, rejected without a retry); otherwise ``consume_items``, then every
    settled item's receipt."""
    retried = TRANSIENT_ERRORS + retry_for

    @app.task(  # type: ignore[untyped-decorator]
        name=name,
        bind=True,
        base=ConsumerTask,
        database=staticmethod(database),
        contract=contract,
        retry_for=retry_for,
        **(options or TaskOptions()).model_dump(),
    )
    def run(self: ConsumerTask, message: dict[str, Any]) -> dict[str, int]:
        try:
            batch = contract.model_validate(message)
        except ValidationError as exc:
            log.exception("task %s: invalid batch", name)
            self.give_up(message, exc, tell=False)
            raise Reject(str(exc), requeue=False) from exc
        settled, outcome = self.settle(
            message,
            lambda: consume_items(database(), name, items(batch), handlers, retried),
        )
        # Every item's effect (or its dead letter) is committed: no copy of its row needed.
        receipts.confirm_all(self.app, settled)
        return dict(outcome)

    return cast(Task, run)


def consume_items(
    db: ServiceDatabase,
    batch_name: str,
    items: list[tuple[str, dict[str, Any]]],
    handlers: Mapping[str, Handler],
    retried: tuple[type[Exception], ...],
) -> tuple[list[str], Counter[str]]:
    """Apply each (task, payload) item not applied before with its task's handler, in one
    transaction; the ids of the items settled and a count by outcome. An item of a task with
    no handler here, or that its contract refuses, is kept as a dead letter of its task."""
    settled: list[str] = []
    outcome: Counter[str] = Counter()
    with db.transaction() as session:
        for name, payload in items:
            try:
                contract, fn = _handler(handlers, batch_name, name)
                msg = contract.model_validate(payload)
            except ValueError as exc:  # pydantic's ValidationError is one
                # No retry can fix it: kept (under its own task, so a replay goes to the single
                # consumer), and the other items still apply.
                log.exception("task %s: invalid %s item", batch_name, name)
                keep(session, name, payload, exc)
                outcome["failed"] += 1
                if isinstance(payload.get("message_id"), str):
                    settled.append(payload["message_id"])
                continue
            with log_scope(**ids_of(msg)):
                outcome[_apply_item(session, name, msg, payload, fn, retried)] += 1
            settled.append(str(msg.message_id))
        session.flush()
        checkpoint(f"{batch_name}:before-commit")
    checkpoint(f"{batch_name}:after-commit")
    return settled, outcome


def _handler(handlers: Mapping[str, Handler], batch_name: str, name: str) -> Handler:
    if name not in handlers:
        raise ValueError(f"{batch_name} has no handler for {name}")
    return handlers[name]


def _apply_item(
    session: Session,
    name: str,
    msg: Message,
    payload: dict[str, Any],
    fn: Callable[[Session, Any], None],
    retried: tuple[type[Exception], ...],
) -> str:
    message_id = str(msg.message_id)
    if already_processed(session, message_id):
        log.info("task %s: message %s already applied, skipped", name, message_id)
        return "duplicate"
    try:
        with session.begin_nested():
            fn(session, msg)
            mark_processed(session, message_id, name)
            session.flush()
    except Exception as exc:
        if isinstance(exc, retried) or database_unavailable(exc):
            raise  # the whole batch tries again: nothing of it is committed yet
        # A concurrent delivery of the same item (alone, or in another batch) committed first.
        if isinstance(exc, IntegrityError) and already_processed(session, message_id):
            return "duplicate"
        log.exception("task %s: item %s failed, kept as a dead letter", name, message_id)
        keep(session, name, payload, exc)
        return "failed"
    return "applied"
