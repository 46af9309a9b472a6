"""What a consuming task does when a try fails: the one place that chooses between waiting out
a database outage, a retry through the broker and a dead letter, so that no message is
acknowledged before its effect, or its dead letter, is committed.

* The database unavailable (``shared.database.availability``): the try runs again in this
  process, with a growing pause, while the worker holds the message unacknowledged (the
  broker's visibility heartbeat keeps it from being handed to another worker meanwhile):
  nothing depends on a new broker message surviving. Past the patience the message goes back
  on its queue (``Reject(requeue=True)``: kombu moves it in one Redis transaction) for a later
  try: a message is never given up because the database was away.
* An error worth another try (another passing database error such as a deadlock; the
  consumer's own ``retry_for``: an SMTP server down, a case not registered yet): Celery's
  retry, with exponential backoff, up to the task's ``max_retries``.
* Anything else, or the last of those retries: a dead letter (``shared.messaging.dead_letters``)
  committed, through an outage too, before the task fails and Celery acknowledges the message.
  A dead letter that cannot be committed puts the message back on its queue instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from celery import Task
from celery.exceptions import Ignore, Reject, Retry
from celery.utils.time import get_exponential_backoff_interval
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from shared.database.availability import DatabaseAway, through_outages
from shared.database.engine import ServiceDatabase
from shared.messaging.contracts import Message
from shared.messaging.dead_letters import record_failure

log = logging.getLogger(__name__)

R = TypeVar("R")

# Errors worth another try through the broker: a database error that is not an outage (a
# deadlock, a lock timeout), a connection or a timeout of some other server.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (OperationalError, ConnectionError, TimeoutError)

# Told of a try that failed, after its transaction rolled back: (session, message, error). It
# runs in a transaction of its own, so what it records stays although the try's effect did not.
FailureHook = Callable[[Session, Any, BaseException], None]


class ConsumerTask(Task):  # type: ignore[misc]
    """The base of every consuming task: ``settle`` runs a try under the policy above, and the
    consumer's own hooks hear of tries that failed."""

    database: Callable[[], ServiceDatabase]
    contract: type[Message]
    # The consumer's own passing errors, retried through the broker as ``TRANSIENT_ERRORS`` are.
    retry_for: tuple[type[Exception], ...] = ()
    retry_hook: FailureHook | None = None
    given_up_hook: FailureHook | None = None

    def settle(self, payload: Any, attempt: Callable[[], R]) -> R:
        """The outcome of ``attempt`` (which must be safe to run again), or the exception that
        tells Celery what to do with the message: ``Retry``, ``Reject`` or the error itself
        once its dead letter is committed."""
        try:
            return through_outages(attempt, self.name)
        except DatabaseAway as away:
            log.warning("task %s: %s; the message goes back on its queue", self.name, away)
            raise Reject(str(away), requeue=True) from away
        except (Retry, Reject, Ignore):
            raise
        except Exception as error:
            if isinstance(error, TRANSIENT_ERRORS + self.retry_for) and self._retries_left():
                raise self.retry(exc=error, countdown=self._backoff()) from error
            self.give_up(payload, error)
            raise

    def give_up(self, payload: Any, error: BaseException, *, tell: bool = True) -> None:
        """Keep the message as a dead letter before it is acknowledged; ``tell`` the consumer's
        ``given_up_hook`` (not for a payload its contract refuses: the hook could not read it)."""
        log.error("task %s: failed for good, kept as a dead letter: %r", self.name, error)
        try:
            through_outages(
                lambda: record_failure(self.database(), self.name, payload, error),
                f"{self.name} dead letter",
            )
        except DatabaseAway as away:
            log.warning("task %s: %s; the message goes back on its queue", self.name, away)
            raise Reject(str(away), requeue=True) from away
        if tell:
            self._tell(self.given_up_hook, error, payload)

    def on_retry(
        self,
        exc: BaseException,
        task_id: str,  # noqa: ARG002 - Celery's signature; the message has its own id
        args: Any,  # noqa: ARG002 - Celery's signature; messages travel as keyword arguments
        kwargs: Any,
        einfo: Any,  # noqa: ARG002 - Celery's signature; the exception says enough
    ) -> None:
        self._tell(self.retry_hook, exc, kwargs.get("message"))

    def _retries_left(self) -> bool:
        return self.max_retries is None or self.request.retries < self.max_retries

    def _backoff(self) -> int:
        return int(
            get_exponential_backoff_interval(
                factor=self.retry_backoff,
                retries=self.request.retries,
                maximum=self.retry_backoff_max,
                full_jitter=self.retry_jitter,
            )
        )

    def _tell(self, hook: FailureHook | None, error: BaseException, payload: Any) -> None:
        if hook is None:
            return

        def note() -> None:
            msg = self.contract.model_validate(payload)
            with self.database().transaction() as session:
                hook(session, msg, error)

        try:
            through_outages(note, f"{self.name} failure note")
        except Exception:  # a note about a failure must not turn into a failure of its own
            log.exception("task %s: could not record the failed try", self.name)
