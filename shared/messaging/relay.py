"""The outbox relay: publishes committed outbox rows to Celery and marks them published.

Published is not yet received: kombu's Redis transport pops a message (BRPOP) before it records
it as unacknowledged, so a worker killed, or a Redis stopped, between the two loses it. No
library closes that window for the Redis transport. So ``redrive_seconds`` after a row was first
published the relay looks for its receipt (``shared.messaging.receipts``: written by the consumer
after its commit) and sends the row once more only when there is none; the consumer drops a
copy whose first did arrive after all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import cast

from celery import Celery
from sqlalchemy import Engine, Table, bindparam, inspect, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from shared.database.engine import utcnow
from shared.database.shared_tables import OutboxMessage
from shared.messaging import receipts
from shared.messaging.outbox import LEASE, REARMED, ROWS, task_summary
from shared.messaging.outgoing import Handover, Outgoing, batched
from shared.messaging.relay_thread import RelayThread
from shared.messaging.task_messages import TaskMessage, TaskMessages
from shared.runtime.log_context import REQUEST_ID_HEADER

log = logging.getLogger(__name__)

OUTBOX = cast(Table, OutboxMessage.__table__)
MARK_PUBLISHED = (
    update(OUTBOX)
    .where(OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
    .values(published_at=bindparam("now"), claimed_until=None)
)

REDRIVE_BATCHES = 10


class OutboxRelay:
    """Publishes committed outbox rows; safe to run in several processes at once.

    Each row is leased to one relay before it is sent, and a relay that dies mid-publish lets
    its lease run out. A transaction the relay watches (``ServiceDatabase.transaction``) leases
    its rows at their insert and hands them over on commit: sent at once, then marked published
    with one statement. Rows nobody holds (a lease that ran out, a ``requeue``, rows written
    outside a watched transaction) are found by the poll every ``poll_seconds`` and claimed with
    a conditional UPDATE, which works the same on SQLite and PostgreSQL. In a process running a
    relay thread (``relay_thread``) a commit hands its rows to the thread; rows of bookkeeping
    tasks wait there up to ``linger_seconds`` (at most half the lease) to leave as batches.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        app: Celery,
        *,
        poll_seconds: float = 0.5,
        claim_seconds: int = 30,
        redrive_seconds: float = 120,
        batch: int = 100,
        linger_seconds: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._app = app
        self._messages = TaskMessages(app)
        self._poll = poll_seconds
        self._claim = timedelta(seconds=claim_seconds)
        self._redrive = timedelta(seconds=redrive_seconds)
        self._batch = batch
        # Lingering rows stay leased: the linger ends well before the lease does.
        self._linger = min(linger_seconds, claim_seconds / 2)
        self._clock = clock
        self._thread: RelayThread | None = None

    def watch(self, session: Session) -> None:
        """Lease the rows ``session`` adds to this relay from their insert (before its commit)."""
        session.info[LEASE] = self._claim

    def handover(self, session: Session) -> Handover | None:
        """After the commit of a watched session: its rows for the relay, or None for a
        transaction that wrote nothing to the outbox. A row added in a savepoint that rolled
        back is no longer persistent and is left out."""
        rows = tuple(
            Outgoing.of(row) for row in session.info.get(ROWS, ()) if inspect(row).persistent
        )
        rearmed = bool(session.info.get(REARMED))
        return Handover(rows, rearmed) if rows or rearmed else None

    def committed(self, handover: Handover) -> None:
        """A watched transaction committed: send its rows now, by the relay thread if this
        process runs one (so a request never waits on Redis), else in this thread."""
        if self._thread is not None and self._thread.alive:
            self._thread.hand(handover)
            return
        try:
            self.send_leased(handover.rows)
            if handover.rearmed:
                self.publish_pending()
        except Exception:  # the polling relay of this service publishes them later
            log.warning("outbox publish deferred", exc_info=True)

    def publish_pending(self) -> int:
        """Publish the committed rows no relay holds: claimed as one batch (one UPDATE), sent,
        then marked published as one batch, so a message costs its share of two statements
        rather than two transactions of its own."""
        rows = self._claim_rows(self._pending_ids())
        return self.send_leased(tuple(Outgoing.of(row) for row in rows))

    def send_leased(self, rows: tuple[Outgoing, ...]) -> int:
        """Send rows leased to this relay as one Redis pipeline (kombu's ``Producer.batch``),
        then mark them published with one statement: one round trip to Redis for the batch,
        where Celery makes two per message otherwise (the task, and its task-sent event for
        Flower). The messages are built by ``shared.messaging.task_messages``, not
        ``Celery.send_task``."""
        if not rows:
            return 0
        ids = [row.id for row in rows]
        try:
            with self._app.producer_or_acquire() as producer:
                messages = [self._message(outgoing) for outgoing in batched(rows)]
                self._messages.send_batch(producer, messages)
        except Exception:
            # Redis went away: none, or not all, of the batch reached it. Every row is released
            # for the next attempt to take at once, not after the lease; a copy that did arrive
            # is dropped by its consumer.
            self._release(ids)
            raise
        self._mark_published(ids)
        return len(ids)

    def redrive_due(self) -> int:
        """Send a copy of each row published ``redrive_seconds`` ago or more that no consumer
        has confirmed (``shared.messaging.receipts``); every row is looked at once. The rows
        are claimed as one batch, their receipts read in one round trip, the copies sent as one
        pipeline; a pass that cannot reach Redis gives its rows back for the next. A pass takes
        up to ``REDRIVE_BATCHES`` batches, so that under load it keeps up with the rows
        published (a receipt outlived by its row's wait only costs a needless copy)."""
        copies = 0
        for _ in range(REDRIVE_BATCHES):
            looked, sent = self._redrive_batch()
            copies += sent
            if looked < self._batch:
                break
        return copies

    def _redrive_batch(self) -> tuple[int, int]:
        """One batch of the redrive pass: (rows looked at, copies sent)."""
        cutoff = utcnow() - self._redrive
        with self._sessions() as session:
            due = list(
                session.scalars(
                    select(OutboxMessage.id)
                    .where(OutboxMessage.redriven_at.is_(None), OutboxMessage.published_at < cutoff)
                    .order_by(OutboxMessage.published_at)
                    .limit(self._batch)
                )
            )
        rows = self._claim_redrive(due, cutoff)
        if not rows:
            return len(due), 0
        try:
            with self._app.producer_or_acquire() as producer:
                with producer.channel.conn_or_acquire() as client:
                    unconfirmed = set(receipts.unconfirmed(client, [row.id for row in rows]))
                copies = [row for row in rows if row.id in unconfirmed]
                messages = [self._message(outgoing) for outgoing in batched(tuple(copies))]
                self._messages.send_batch(producer, messages)
        except Exception:
            self._forget_redrive([row.id for row in rows])  # Redis is down: on a later pass
            raise
        return len(due), len(copies)

    @staticmethod
    def _message(row: Outgoing) -> TaskMessage:
        return TaskMessage(
            row.task_name,
            row.id,
            {"message": row.payload},
            task_summary(row.payload),
            {REQUEST_ID_HEADER: row.request_id} if row.request_id else None,
        )

    def _pending_ids(self) -> list[str]:
        now = utcnow()
        with self._sessions() as session:
            return list(
                session.scalars(
                    select(OutboxMessage.id)
                    .where(
                        OutboxMessage.published_at.is_(None),
                        or_(
                            OutboxMessage.claimed_until.is_(None),
                            OutboxMessage.claimed_until < now,
                        ),
                    )
                    .order_by(OutboxMessage.created_at)
                    .limit(self._batch)
                )
            )

    def _claim_rows(self, row_ids: list[str]) -> list[OutboxMessage]:
        """Lease the rows among ``row_ids`` still pending and free; another relay's lease, or a
        row it published meanwhile, is skipped (the condition is checked row by row, under the
        row's lock on PostgreSQL)."""
        if not row_ids:
            return []
        now = utcnow()
        with self._sessions() as session, session.begin():
            claimed = session.scalars(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id.in_(row_ids),
                    OutboxMessage.published_at.is_(None),
                    or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
                )
                .values(claimed_until=now + self._claim, attempts=OutboxMessage.attempts + 1)
                .returning(OutboxMessage)
                .execution_options(synchronize_session=False)
            ).all()
        return sorted(claimed, key=lambda row: (row.created_at, row.id))

    def _claim_redrive(self, row_ids: list[str], cutoff: datetime) -> list[Outgoing]:
        """Take the rows among ``row_ids`` still waiting for their redrive pass (another relay
        may have taken some): one conditional UPDATE, checked row by row."""
        if not row_ids:
            return []
        with self._sessions() as session, session.begin():
            claimed = session.scalars(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id.in_(row_ids),
                    OutboxMessage.redriven_at.is_(None),
                    OutboxMessage.published_at < cutoff,
                )
                .values(redriven_at=utcnow())
                .returning(OutboxMessage)
                .execution_options(synchronize_session=False)
            ).all()
            return [Outgoing.of(row) for row in sorted(claimed, key=lambda row: row.id)]

    def _forget_redrive(self, row_ids: list[str]) -> None:
        with self._sessions() as session, session.begin():
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(row_ids))
                .values(redriven_at=None)
                .execution_options(synchronize_session=False)
            )

    def _mark_published(self, row_ids: list[str]) -> None:
        if not row_ids:
            return
        # On the table, not the entity, on a connection rather than a session, with a statement
        # built once: the ORM's bulk UPDATE path cost more CPU than the round trip, and a session
        # and a statement built per batch about half of what remained (cProfile).
        engine: Engine = self._sessions.kw["bind"]
        with engine.begin() as connection:
            connection.execute(MARK_PUBLISHED, {"ids": row_ids, "now": utcnow()})

    def _release(self, row_ids: list[str]) -> None:
        if not row_ids:
            return
        with self._sessions() as session, session.begin():
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(row_ids), OutboxMessage.published_at.is_(None))
                .values(claimed_until=None)
                .execution_options(synchronize_session=False)
            )

    def forked(self) -> None:
        """In a Celery pool child just forked: the parent's thread is not here and its locks may
        have been held at the fork, so the child's relay has no thread until ``start``; rows
        handed to the parent's thread stay the parent's."""
        self._thread = None

    def start(self, name: str, *, polls: bool = True) -> None:
        """Run this process's relay thread (``relay_thread``): ``polls`` for the one thread of a
        service process that also polls and redrives, not for a pool child's."""
        if self._thread is not None and self._thread.alive:
            return
        self._thread = RelayThread(
            self,
            polls=polls,
            poll_seconds=self._poll,
            linger_seconds=self._linger,
            clock=self._clock,
        )
        self._thread.start(f"outbox-relay-{name}")

    def stop(self) -> None:
        if self._thread is not None:
            self._thread.stop()
