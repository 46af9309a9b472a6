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
import queue
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from celery import Celery
from sqlalchemy import Engine, Table, bindparam, inspect, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from shared.database.engine import utcnow
from shared.database.shared_tables import OutboxMessage
from shared.messaging import receipts
from shared.messaging.contracts.batches import BATCH_TASKS, MAX_ITEMS, batch_id
from shared.messaging.outbox import LEASE, REARMED, ROWS, task_summary
from shared.messaging.task_messages import TaskMessage, TaskMessages
from shared.runtime.log_context import REQUEST_ID_HEADER

log = logging.getLogger(__name__)

OUTBOX = cast(Table, OutboxMessage.__table__)
MARK_PUBLISHED = (
    update(OUTBOX)
    .where(OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
    .values(published_at=bindparam("now"), claimed_until=None)
)

REDRIVE_CHECK_SECONDS = 5.0
REDRIVE_BATCHES = 10


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


def batched(rows: tuple[Outgoing, ...]) -> list[Outgoing]:
    """What goes to the broker for ``rows``: the rows of a batchable task
    (``contracts.batches.BATCH_TASKS``) found together as one batch message per task (in
    chunks of ``MAX_ITEMS``), every other row as itself. A lone row also goes as itself: the
    single task stays consumed anyway (messages queued before batches), and a batch of one
    would cost its consumer a savepoint and Flower a less telling task name for nothing. The
    batch's task id is derived from its rows' ids, so a copy of it is the same task."""
    sent: list[Outgoing] = []
    groups: dict[str, list[Outgoing]] = {}
    for row in rows:
        if row.task_name in BATCH_TASKS:
            groups.setdefault(row.task_name, []).append(row)
        else:
            sent.append(row)
    for task, members in groups.items():
        for start in range(0, len(members), MAX_ITEMS):
            chunk = members[start : start + MAX_ITEMS]
            if len(chunk) == 1:
                sent.append(chunk[0])
                continue
            payload = {"task": task, "messages": [row.payload for row in chunk]}
            ids = [row.id for row in chunk]
            sent.append(Outgoing(batch_id(ids), BATCH_TASKS[task], payload, chunk[0].request_id))
    return sent


@dataclass(frozen=True)
class Handover:
    """What a committed transaction leaves the relay: its own rows, leased to the relay since
    their insert, and whether it set published rows back to pending (those wait for a poll)."""

    rows: tuple[Outgoing, ...]
    rearmed: bool


class OutboxRelay:
    """Publishes committed outbox rows; safe to run in several processes at once.

    Each row is leased to one relay before it is sent, and a relay that dies mid-publish lets
    its lease run out. A transaction the relay watches (``ServiceDatabase.transaction``) leases
    its rows at their insert and hands them over on commit: sent at once, then marked published
    with one statement. Rows nobody holds (a lease that ran out, a ``requeue``, rows written
    outside a watched transaction) are found by the poll every ``poll_seconds`` and claimed with
    a conditional UPDATE, which works the same on SQLite and PostgreSQL.
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
    ) -> None:
        self._sessions = sessions
        self._app = app
        self._messages = TaskMessages(app)
        self._poll = poll_seconds
        self._claim = timedelta(seconds=claim_seconds)
        self._redrive = timedelta(seconds=redrive_seconds)
        self._batch = batch
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._poll_asked = threading.Event()
        self._handed: queue.SimpleQueue[tuple[Outgoing, ...]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

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
        if self._thread is not None and self._thread.is_alive():
            if handover.rows:
                self._handed.put(handover.rows)
            if handover.rearmed:
                self._poll_asked.set()
            self._wake.set()
            return
        try:
            self._send_leased(handover.rows)
            if handover.rearmed:
                self.publish_pending()
        except Exception:  # the polling relay of this service publishes them later
            log.warning("outbox publish deferred", exc_info=True)

    def publish_pending(self) -> int:
        """Publish the committed rows no relay holds: claimed as one batch (one UPDATE), sent,
        then marked published as one batch, so a message costs its share of two statements
        rather than two transactions of its own."""
        rows = self._claim_rows(self._pending_ids())
        return self._send_leased(tuple(Outgoing.of(row) for row in rows))

    def _send_leased(self, rows: tuple[Outgoing, ...]) -> int:
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

    def _drain(self) -> tuple[Outgoing, ...]:
        rows: list[Outgoing] = []
        while True:
            try:
                rows.extend(self._handed.get_nowait())
            except queue.Empty:
                return tuple(rows)

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

    def start(self, name: str) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"outbox-relay-{name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        backoff = self._poll
        next_poll = next_redrive = 0.0
        while not self._stop.is_set():
            try:
                self._send_leased(self._drain())
                if time.monotonic() >= next_poll or self._poll_asked.is_set():
                    self._poll_asked.clear()
                    next_poll = time.monotonic() + self._poll
                    self.publish_pending()
                if time.monotonic() >= next_redrive:
                    # Seconds late is soon enough for a copy due minutes after the first.
                    next_redrive = time.monotonic() + REDRIVE_CHECK_SECONDS
                    self.redrive_due()
                backoff = self._poll
                pause = max(0.0, next_poll - time.monotonic())
            except Exception:
                # Broker or database unreachable: keep the rows, retry with a growing pause
                # (rows that could not be sent were released, for the next poll to take).
                log.warning("outbox relay: publish failed, will retry", exc_info=True)
                backoff = min(backoff * 2, 5.0)
                next_poll = 0.0
                pause = backoff
            self._wake.wait(pause)
            self._wake.clear()
        try:  # what was handed over just before the stop, rather than after its lease
            self._send_leased(self._drain())
        except Exception:
            log.warning("outbox relay: rows left to the next relay's poll", exc_info=True)
