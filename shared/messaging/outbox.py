"""The transactional outbox: a state change and the message it causes are committed together.

``enqueue`` adds the message's row to the transaction's session; it leaves only if the commit
does, sent by the relay (``shared.messaging.relay``). A crash between publishing and marking
publishes a row twice, never zero times: consumers drop repeats (``shared.messaging.inbox``).
The table is ``shared.database.shared_tables.OutboxMessage``, in every service's database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, event, insert, update
from sqlalchemy.orm import Session, UOWTransaction, make_transient_to_detached

from shared.database.engine import utcnow
from shared.database.shared_tables import OutboxMessage
from shared.messaging.contracts import Message
from shared.runtime.log_context import current_request_id

# What a transaction tells its relay through ``Session.info`` (``relay.OutboxRelay.watch``).
LEASE = "outbox.lease"  # set by the relay: new rows are leased to it from their insert
ROWS = "outbox.rows"  # the rows this transaction added
REARMED = "outbox.rearmed"  # a published row was set back to pending (``requeue``)


@event.listens_for(Session, "before_flush")
def _lease_new_rows(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    """Rows added in a transaction its relay watches are leased to that relay as they are
    inserted, so it sends them straight after the commit without looking for or claiming them;
    should the process die first, the lease runs out and any relay's poll sends them."""
    rows = [row for row in session.new if isinstance(row, OutboxMessage)]
    if not rows:
        return
    lease = session.info.get(LEASE)
    if lease is not None:
        until = utcnow() + lease
        for row in rows:
            row.claimed_until = until
    session.info.setdefault(ROWS, []).extend(rows)


def enqueue(session: Session, task_name: str, message: Message) -> None:
    """Schedule ``message`` for ``task_name``; it leaves only if the surrounding commit does."""
    session.add(
        OutboxMessage(
            id=str(message.message_id),
            task_name=task_name,
            payload=message.model_dump(mode="json"),
            created_at=utcnow(),
            request_id=current_request_id(),
        )
    )


# With RETURNING, SQLAlchemy sends the rows as one multi-row INSERT; without, psycopg's
# executemany goes through its pipeline mode, which cost more CPU than the statement (py-spy).
_INSERT = insert(cast(Table, OutboxMessage.__table__)).returning(OutboxMessage.__table__.c.id)


def insert_now(session: Session, messages: Sequence[tuple[str, Message]]) -> None:
    """``enqueue`` for each ``(task_name, message)``, as one INSERT executed at once rather than
    rows left to the flush: on the filing path the ORM's unit of work for its two outbox rows
    cost more CPU than the statement (py-spy, docs/BENCHMARKS.md). The rows are leased to the
    transaction's relay and handed to it on commit exactly as ``enqueue``'s are."""
    now = utcnow()
    lease = session.info.get(LEASE)
    until = now + lease if lease is not None else None
    rid = current_request_id()
    values = [
        {
            "id": str(message.message_id),
            "task_name": task_name,
            "payload": message.model_dump(mode="json"),
            "created_at": now,
            "published_at": None,
            "claimed_until": until,
            "attempts": 0,
            "request_id": rid,
            "redriven_at": None,
        }
        for task_name, message in messages
    ]
    session.execute(_INSERT, values).all()
    rows = [OutboxMessage(**row) for row in values]
    for row in rows:
        make_transient_to_detached(row)  # as if loaded: the INSERT above wrote it
        session.add(row)
    session.info.setdefault(ROWS, []).extend(rows)


def enqueue_once(session: Session, task_name: str, message: Message) -> None:
    """``enqueue`` unless a row with this message id is already there: for messages whose ids
    are derived from what caused them (uuid5), so a rerun of the cause adds nothing."""
    if session.get(OutboxMessage, str(message.message_id)) is None:
        enqueue(session, task_name, message)


def requeue(
    session: Session, task_name: str, message: Message, *, published_before: datetime
) -> bool:
    """Send ``message`` again through the relay, for a sweep that found its effect missing: its
    row, if published before ``published_before``, goes back to pending (and gets its own second
    copy later); a row published since, or not yet, is left alone, so two sweeps, or a sweep and
    the relay, send it once. No row: the message is enqueued anew. True when it will be sent."""
    if session.get(OutboxMessage, str(message.message_id)) is None:
        enqueue(session, task_name, message)
        return True
    reset = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == str(message.message_id),
            OutboxMessage.published_at < published_before,
        )
        .values(published_at=None, claimed_until=None, redriven_at=None)
        .execution_options(synchronize_session=False)
    )
    rearmed: bool = reset.rowcount == 1  # type: ignore[attr-defined]
    if rearmed:
        session.info[REARMED] = True
    return rearmed


# What Flower's task view and the workers' logs show of a message: its ids and codes, never the
# names, contacts and texts it carries (Celery shows ``kwargsrepr`` in place of the arguments).
SHOWN_FIELDS = (
    "message_id",
    "tracking_code",
    "case_id",
    "step",
    "status",
    "kind",
    "channel",
    "notification_id",
    "inbox_message_id",
    "subscription_id",
)


def task_summary(payload: dict[str, Any]) -> str:
    if "messages" in payload:  # a batch (``contracts.batches``): each item's ids
        items = [_shown(item) for item in payload["messages"]]
        return repr({"message": {"task": payload.get("task"), "messages": items}})
    if "items" in payload:  # a shared batch: each item's task and ids
        shared = [{"task": i.get("task"), **_shown(i.get("message", {}))} for i in payload["items"]]
        return repr({"message": {"items": shared}})
    return repr({"message": _shown(payload)})


def _shown(payload: dict[str, Any]) -> dict[str, Any]:
    return {key: payload[key] for key in SHOWN_FIELDS if key in payload}
