"""Live events of one complaint, fanned out to every API process through Redis pub/sub.

A note on the complaint's channel says only *that* something changed ("a message", "the
status"), never what: each listening stream reads the change from the database, which stays
the one source of truth (and keeps personal data out of Redis). Notes are published only after
the transaction that made the change commits, so no client hears of something rolled back.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Literal

import anyio
import redis
import redis.asyncio
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from sqlalchemy import event
from sqlalchemy.orm import Session

from shared.runtime.settings import get_settings

log = logging.getLogger(__name__)

# "notice": something the tracking page shows beside the status changed (a notice reached none
# of the complainant's channels, or reached one after all); streams send the status again.
NoteKind = Literal["message", "status", "notice"]
# A publish or subscribe waits this long for Redis before the live part gives up (the change
# itself is committed; a stream that missed the note catches up on its next connect).
REDIS_TIMEOUT_SECONDS = 1.0
_PENDING = "live_event_notes"
_LISTENING = "live_event_hooks"


@dataclass(frozen=True)
class Note:
    kind: NoteKind
    id: int | None = None  # the inbox message id, for a "message"


def channel(tracking_code: str) -> str:
    return f"pengaduan:intake:complaint:{tracking_code}:events"


def announce_after_commit(session: Session, tracking_code: str, note: Note) -> None:
    """Publish ``note`` once ``session``'s transaction commits; drop it if it rolls back."""
    if not session.info.get(_LISTENING):
        event.listen(session, "after_commit", _publish_pending)
        event.listen(session, "after_rollback", _forget_pending)
        session.info[_LISTENING] = True
    session.info.setdefault(_PENDING, []).append((tracking_code, note))


def _publish_pending(session: Session) -> None:
    # SQLAlchemy fires after_commit for a savepoint's release too (a batch consumer applies each
    # item in one): a note sent then would reach a stream before its change is readable, and be
    # gone by the real commit. Only the outermost commit publishes.
    if session.in_nested_transaction():
        return
    pending: list[tuple[str, Note]] = session.info.pop(_PENDING, [])
    if pending:
        publish(pending)


def _forget_pending(session: Session) -> None:
    # A savepoint rolled back (one batch item refused) does not take the other items' notes
    # with it; its own note, if any, only makes a stream read again and find nothing new.
    if session.in_nested_transaction():
        return
    session.info.pop(_PENDING, None)


def publish(notes: list[tuple[str, Note]]) -> None:
    """Best effort: the change is committed whatever happens here, so a Redis that is down
    costs only the live note (streams read the database again when they reconnect)."""
    try:
        client = _publisher(os.getpid(), get_settings().broker.url)
        for tracking_code, note in notes:
            client.publish(channel(tracking_code), _encode(note))
    except Exception:  # never turn a committed change into a failed request or task
        log.warning("live event for %s not published", notes[0][0], exc_info=True)


@functools.cache
def _publisher(pid: int, url: str) -> redis.Redis:  # noqa: ARG001 - the cache's key
    """The client of process ``pid`` (call with ``os.getpid()``, so a forked worker child never
    shares its parent's connections) for publishing notes, kept with its connection pool: a new
    client and connection per status change cost each task a connect and a millisecond of CPU."""
    return redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )


def _encode(note: Note) -> str:
    return json.dumps({"kind": note.kind, "id": note.id})


def _decode(raw: Any) -> Note | None:
    try:
        data = json.loads(raw)
        kind = data["kind"]
        if kind not in ("message", "status", "notice"):
            return None
        return Note(kind=kind, id=data.get("id"))
    except (ValueError, KeyError, TypeError):
        return None


class Subscription:
    """The notes published on one complaint's channel since ``subscribe`` returned."""

    def __init__(self, pubsub: redis.asyncio.client.PubSub) -> None:
        self._pubsub = pubsub

    async def notes(self) -> AsyncIterator[Note]:
        """Until the connection to Redis is lost (``redis.RedisError``)."""
        async for message in self._pubsub.listen():
            if message.get("type") != "message":
                continue
            note = _decode(message.get("data"))
            if note is not None:
                yield note


@asynccontextmanager
async def subscribed(tracking_code: str) -> AsyncIterator[Subscription | None]:
    """Listen to the complaint's channel; ``None`` when Redis cannot be reached."""
    client: redis.asyncio.Redis = redis.asyncio.Redis.from_url(
        get_settings().broker.url,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        # No silent reconnect: notes published meanwhile would be lost unnoticed. A lost
        # connection ends ``notes()``, and the stream subscribes again and reads the database.
        retry=Retry(NoBackoff(), 0),
    )
    pubsub = client.pubsub()
    try:
        try:
            with anyio.fail_after(REDIS_TIMEOUT_SECONDS * 2):
                await pubsub.subscribe(channel(tracking_code))
        except (redis.RedisError, OSError, TimeoutError):
            log.warning("live events of %s: Redis unreachable, backlog only", tracking_code)
            yield None
        else:
            yield Subscription(pubsub)
    finally:
        with anyio.CancelScope(shield=True):  # the client left: close even while cancelled
            await pubsub.aclose()  # type: ignore[no-untyped-call]
            await client.aclose()
