"""The outbox relay's thread: it sends what its process's committed transactions hand over and,
in the one process of a service that polls, looks for rows nobody holds and rows due a copy.

Two kinds, one loop:

- **The polling thread**, one per service process: an API process (``relay_lifespan``), a
  Celery worker's main process (``shared.process.worker_setup``, at ``worker_ready``). Besides
  sending its own process's rows it runs the poll (rows whose lease ran out, rows a ``requeue``
  set back, rows written outside a watched transaction) and the redrive pass. One poller per
  service process is enough: both look at the whole outbox table, whichever process wrote it.
- **A sending thread in each Celery pool child** (started at ``worker_process_init``, stopped at
  ``worker_process_shutdown``): it only sends what the child's tasks hand over, so a task's
  commit never waits on Redis and the rows of tasks committed close together can travel
  together. A child killed with rows in its thread loses nothing: they stay leased to it (the
  claim lease, set at their insert) and the poll of its service's main process takes them once
  the lease runs out.

**Linger.** Rows of the bookkeeping tasks (``contracts.batches.BATCH_TASKS``: status changes,
answers and inbox hand-overs to intake, delivery reports to the workflow) wait up to
``linger_seconds`` in the thread for company, so that a burst sends them as batch messages
rather than one task each. Every other row (a step's hand-off, a complainant's notification)
leaves at once, and takes no lingering row with it: the linger is counted from the first row
that waits. Lingering rows stay leased (the relay keeps the linger under half the lease), are
sent as soon as ``MAX_ITEMS`` of them wait, and are sent when the thread stops (a graceful
shutdown drains them); a send that fails releases them for the poll, as any other.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from collections.abc import Callable
from typing import Protocol

from shared.messaging.contracts.batches import MAX_ITEMS
from shared.messaging.outgoing import Handover, Outgoing

log = logging.getLogger(__name__)

REDRIVE_CHECK_SECONDS = 5.0
MAX_BACKOFF_SECONDS = 5.0


class Sender(Protocol):
    """What the thread asks of its relay (``relay.OutboxRelay``)."""

    def send_leased(self, rows: tuple[Outgoing, ...]) -> int: ...
    def publish_pending(self) -> int: ...
    def redrive_due(self) -> int: ...


class RelayThread:
    """One relay thread; ``polls`` for the polling kind (module docstring). ``clock`` measures
    the poll's period and the linger (a test may own it)."""

    def __init__(
        self,
        sender: Sender,
        *,
        polls: bool,
        poll_seconds: float,
        linger_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sender = sender
        self.polls = polls
        self._poll = poll_seconds
        self._linger = linger_seconds
        self._clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._poll_asked = threading.Event()
        # Each commit's rows with when they were handed over: the linger counts from then.
        self._handed: queue.SimpleQueue[tuple[float, tuple[Outgoing, ...]]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def hand(self, handover: Handover) -> None:
        """A watched transaction committed: its rows for this thread to send."""
        if handover.rows:
            self._handed.put((self._clock(), handover.rows))
        if handover.rearmed:
            self._poll_asked.set()
        self._wake.set()

    def start(self, name: str) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the loop and send what was handed over and what lingers, then return."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _drain(self) -> tuple[float, list[Outgoing]]:
        """The rows handed over since the last drain, and when the first of them was."""
        first, rows = math.inf, list[Outgoing]()
        while True:
            try:
                handed_at, handed = self._handed.get_nowait()
            except queue.Empty:
                return first, rows
            first = min(first, handed_at)
            rows.extend(handed)

    def _run(self) -> None:
        backoff = self._poll
        next_poll = next_redrive = 0.0
        lingering: list[Outgoing] = []
        due = math.inf  # when the lingering rows leave
        while not self._stop.is_set():
            now = self._clock()
            try:
                sent: list[Outgoing] = []
                handed_at, handed = self._drain()
                for row in handed:
                    (lingering if row.bookkeeping else sent).append(row)
                if lingering and due == math.inf:
                    # From the drain's earliest hand-over, which may be a row sent at once: the
                    # linger then ends a little early, never late.
                    due = handed_at + self._linger
                if lingering and (now >= due or len(lingering) >= MAX_ITEMS):
                    # Out of the list before the send: rows of a send that fails are released
                    # (for the poll), not held here.
                    sent.extend(lingering)
                    lingering, due = [], math.inf
                self._sender.send_leased(tuple(sent))
                if self.polls and (now >= next_poll or self._poll_asked.is_set()):
                    self._poll_asked.clear()
                    next_poll = now + self._poll
                    self._sender.publish_pending()
                if self.polls and now >= next_redrive:
                    # Seconds late is soon enough for a copy due minutes after the first.
                    next_redrive = now + REDRIVE_CHECK_SECONDS
                    self._sender.redrive_due()
                backoff = self._poll
                pause = min(next_poll if self.polls else now + self._poll, due) - self._clock()
            except Exception:
                # Broker or database unreachable: keep the rows, retry with a growing pause
                # (rows that could not be sent were released, for the next poll to take).
                log.warning("outbox relay: publish failed, will retry", exc_info=True)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                next_poll = 0.0
                pause = backoff
            self._wake.wait(max(0.0, pause))
            self._wake.clear()
        try:  # what was handed over just before the stop, and what lingers, rather than later
            self._sender.send_leased((*lingering, *self._drain()[1]))
        except Exception:
            log.warning("outbox relay: rows left to the next relay's poll", exc_info=True)
