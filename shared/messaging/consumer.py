"""The base of every consuming task: validate, open one transaction, act once, commit, relay.

A task body is only the step's logic, ``fn(session, message)``; this module owns the session,
the commit or rollback, the idempotency record and log context; what a failed try leads to
(waiting out a database outage, a retry, a dead letter) is ``shared.messaging.settling``'s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from celery import Celery, Task
from celery.exceptions import Reject
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.database.engine import ServiceDatabase
from shared.messaging import receipts
from shared.messaging.contracts import Message
from shared.messaging.inbox import already_processed, mark_processed
from shared.messaging.settling import TRANSIENT_ERRORS, ConsumerTask, FailureHook
from shared.runtime.faults import checkpoint
from shared.runtime.log_context import ids_of, log_scope

log = logging.getLogger(__name__)

M = TypeVar("M", bound=Message)

__all__ = ["TRANSIENT_ERRORS", "ConsumerTask", "TaskOptions", "consume_once", "consumer"]


class TaskOptions(BaseModel):
    """Celery task options, typed: a misspelt option fails at import instead of being ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_retries: int = 20
    retry_backoff: int = 1
    retry_backoff_max: int = 60
    retry_jitter: bool = True


def consumer(
    app: Celery,
    *,
    name: str,
    contract: type[M],
    database: Callable[[], ServiceDatabase],
    options: TaskOptions | None = None,
    retry_for: tuple[type[Exception], ...] = (),
    on_retry: FailureHook | None = None,
    on_given_up: FailureHook | None = None,
    then: Callable[[M], None] | None = None,
) -> Callable[[Callable[[Session, M], None]], Task]:
    """Register ``fn`` as the idempotent consumer of ``contract`` messages under ``name``.

    ``retry_for`` adds the consumer's own transient errors (an SMTP server that is down, say);
    ``on_retry`` hears of each try that failed with one of them, ``on_given_up`` of the last.
    ``then`` runs after the message's transaction committed, in transactions of its own, on
    every delivery of the message (a redelivery found applied too, so that work a killed
    worker left half done gets finished): it must be idempotent itself.
    """
    opts = (options or TaskOptions()).model_dump()

    def register(fn: Callable[[Session, M], None]) -> Task:
        @app.task(  # type: ignore[untyped-decorator]
            name=name,
            bind=True,
            base=ConsumerTask,
            database=staticmethod(database),  # a class attribute, not a method
            contract=contract,
            retry_for=retry_for,
            retry_hook=staticmethod(on_retry) if on_retry else None,
            given_up_hook=staticmethod(on_given_up) if on_given_up else None,
            **opts,
        )
        def run(self: ConsumerTask, message: dict[str, Any]) -> str:
            try:
                msg = contract.model_validate(message)
            except ValidationError as exc:
                # A message no retry can fix: kept for operators, not looped on.
                log.exception("task %s: invalid %s payload", name, contract.__name__)
                self.give_up(message, exc, tell=False)
                raise Reject(str(exc), requeue=False) from exc

            def attempt() -> str:
                outcome = consume_once(database(), name, msg, fn)
                if then is not None:
                    then(msg)
                return outcome

            # The request id is the task's already (shared.runtime.log_setup); these say what
            # it is about.
            with log_scope(**ids_of(msg)):
                outcome = self.settle(message, attempt)
            # Committed (now or by an earlier copy): the relay need not send this one again.
            receipts.confirm(self.app, str(msg.message_id))
            return outcome

        return run

    return register


def consume_once(db: ServiceDatabase, name: str, msg: M, fn: Callable[[Session, M], None]) -> str:
    """Apply ``fn`` to ``msg`` unless this message id was already applied; commit both together."""
    message_id = str(msg.message_id)
    try:
        with db.transaction() as session:
            if already_processed(session, message_id):
                log.info("task %s: message %s already applied, skipped", name, message_id)
                return "duplicate"
            fn(session, msg)
            mark_processed(session, message_id, name)
            session.flush()
            checkpoint(f"{name}:before-commit")
    except IntegrityError:
        # A concurrent delivery of the same message committed first: its effect stands.
        with db.sessions() as session:
            if already_processed(session, message_id):
                return "duplicate"
        raise
    checkpoint(f"{name}:after-commit")
    return "applied"
