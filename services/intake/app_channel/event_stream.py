"""The complainant's live stream (Server-Sent Events): the inbox backlog, the current status,
then each new inbox message and status change as it commits.

The order matters: subscribe to the complaint's channel first, read the backlog second, so a
message committed in between is both in the backlog and announced, and sent once (by id). A
lost Redis connection is subscribed again and the database read for what was missed meanwhile.
If Redis cannot be reached the stream serves the backlog and the status, then ends with a retry
hint: the browser reconnects (with ``Last-Event-ID``) and catches up from the database, so
Redis being down delays live updates but never fails the request.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import AsyncIterator

import redis
from anyio import to_thread
from sqlalchemy import select
from sse_starlette import ServerSentEvent

from services.intake.app_channel.inbox import messages_after
from services.intake.app_channel.live_events import Note, subscribed
from services.intake.database import get_db
from services.intake.filing.schemas import InboxMessageOut, StatusEventOut
from services.intake.models import Complaint, InboxMessage
from shared.web.domain_errors import TooManyRequests

log = logging.getLogger(__name__)

# Milliseconds the browser waits before reconnecting a stream that ended.
RECONNECT_MILLISECONDS = 3000
KEEPALIVE_SECONDS = 15
# A lost Redis connection is subscribed again (and the database read for what was missed) this
# often in one stream; after that the stream ends and the browser reconnects.
MAX_RESUBSCRIPTIONS = 3
# Streams one complaint may hold open at once, in each API process: a few tabs and devices.
MAX_STREAMS_PER_COMPLAINT = 5
TOO_MANY_STREAMS_MESSAGE = (
    f"Terlalu banyak koneksi pemantauan terbuka untuk laporan pengaduan ini (maksimal "
    f"{MAX_STREAMS_PER_COMPLAINT}). Tutup tab atau perangkat lain, lalu coba lagi."
)


class StreamSlots:
    """Counts the open streams per complaint in this process."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._open: dict[str, int] = {}
        self._lock = threading.Lock()

    def take(self, complaint_id: str) -> StreamSlot:
        with self._lock:
            if self._open.get(complaint_id, 0) >= self._limit:
                raise TooManyRequests(TOO_MANY_STREAMS_MESSAGE, retry_after=30)
            self._open[complaint_id] = self._open.get(complaint_id, 0) + 1
        return StreamSlot(self, complaint_id)

    def give_back(self, complaint_id: str) -> None:
        with self._lock:
            left = self._open.get(complaint_id, 0) - 1
            if left > 0:
                self._open[complaint_id] = left
            else:
                self._open.pop(complaint_id, None)


class StreamSlot:
    """One taken slot; giving it back twice counts once (the stream's end and the response's
    background task both do, since either may not run)."""

    def __init__(self, slots: StreamSlots, complaint_id: str) -> None:
        self._slots = slots
        self._complaint_id = complaint_id
        self._given_back = False

    async def give_back(self) -> None:
        if not self._given_back:
            self._given_back = True
            self._slots.give_back(self._complaint_id)


# One count per process, shared by the API's stream and the tracking page's.
STREAMS = StreamSlots(MAX_STREAMS_PER_COMPLAINT)


def parse_last_event_id(value: str | None) -> int:
    """The browser's ``Last-Event-ID`` (an inbox message id); anything else means "from the
    start"."""
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
    if value is not None and re.fullmatch(r"[0-9]{1,18}", value.strip()):
        return int(value.strip())
    return 0


def _messages(complaint_id: str, after_id: int) -> list[InboxMessageOut]:
    with get_db().sessions() as session:
        return [InboxMessageOut.of(m) for m in messages_after(session, complaint_id, after_id)]


def _message(complaint_id: str, message_id: int) -> InboxMessageOut | None:
    with get_db().sessions() as session:
        message = session.scalar(
            select(InboxMessage).where(
                InboxMessage.id == message_id, InboxMessage.complaint_id == complaint_id
            )
        )
        return None if message is None else InboxMessageOut.of(message)


def _status(complaint_id: str) -> StatusEventOut:
    with get_db().sessions() as session:
        complaint = session.get(Complaint, complaint_id)
        assert complaint is not None  # noqa: S101 - complaints are never deleted
        return StatusEventOut.of(complaint)


def message_event(message: InboxMessageOut) -> ServerSentEvent:
    return ServerSentEvent(data=message.model_dump_json(), event="message", id=str(message.id))


def status_event(status: StatusEventOut) -> ServerSentEvent:
    # No id: the browser's Last-Event-ID keeps naming the last inbox message.
    return ServerSentEvent(data=status.model_dump_json(), event="status")


class _Sent:
    """What this stream told its client: the message ids and the last status."""

    def __init__(self, complaint_id: str, last_event_id: int) -> None:
        self.complaint_id = complaint_id
        self.after = last_event_id
        self.ids: set[int] = set()
        self.status: StatusEventOut | None = None

    async def catch_up(self) -> list[ServerSentEvent]:
        """The messages after the last one sent, and the status if it changed."""
        fresh = await to_thread.run_sync(_messages, self.complaint_id, self.after)
        found = [self._message(m) for m in fresh if m.id not in self.ids]
        return found + await self._status()

    async def on_note(self, note: Note) -> list[ServerSentEvent]:
        if note.kind == "status":
            return await self._status()
        if note.kind == "notice":  # the status again, so a listening page reads itself anew
            self.status = None
            return await self._status()
        if note.id is None or note.id in self.ids:
            return []
        message = await to_thread.run_sync(_message, self.complaint_id, note.id)
        return [] if message is None else [self._message(message)]

    def _message(self, message: InboxMessageOut) -> ServerSentEvent:
        self.ids.add(message.id)
        self.after = max(self.after, message.id)
        return message_event(message)

    async def _status(self) -> list[ServerSentEvent]:
        current = await to_thread.run_sync(_status, self.complaint_id)
        if current == self.status:
            return []
        self.status = current
        return [status_event(current)]


async def complaint_events(
    complaint_id: str, tracking_code: str, last_event_id: int, slot: StreamSlot
) -> AsyncIterator[ServerSentEvent]:
    sent = _Sent(complaint_id, last_event_id)
    try:
        yield ServerSentEvent(comment="pengaduan", retry=RECONNECT_MILLISECONDS)
        for _ in range(1 + MAX_RESUBSCRIPTIONS):
            async with subscribed(tracking_code) as subscription:
                for catching_up in await sent.catch_up():  # read after subscribing: no gap
                    yield catching_up
                if subscription is None:
                    return  # the browser reconnects after RECONNECT_MILLISECONDS
                try:
                    async for note in subscription.notes():
                        for live in await sent.on_note(note):
                            yield live
                except (redis.RedisError, OSError):
                    log.warning("live events of %s: Redis connection lost", tracking_code)
    finally:
        await slot.give_back()
