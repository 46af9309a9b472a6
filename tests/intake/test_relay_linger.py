"""A relay thread holds bookkeeping rows back a moment for company (``shared.messaging
.relay_thread``): a hand-off leaves at once, the bookkeeping rows committed meanwhile leave as
one batch message when the linger is over, when ``MAX_ITEMS`` of them wait, or when the thread
stops; meanwhile they stay leased. The test owns the relay's clock: nothing here waits for
the real linger."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.intake.database import get_db
from shared.messaging.celery_app import get_celery
from shared.messaging.contracts import BATCH_TASKS, INTAKE_STATUS_TASK, CaseStatusChangedV1
from shared.messaging.contracts.batches import MAX_ITEMS
from shared.messaging.outbox import enqueue
from shared.messaging.relay import OutboxRelay
from tests.intake.conftest import outbox_rows, queued
from tools.harness.processes import wait_for

HAND_OFF = "intake.test.unbatched"  # not in BATCH_TASKS: sent at once, as a hand-off is
LINGER = 10.0


class Clock:
    """The relay thread's clock, moved by the test only."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def relay(
    configured: dict[str, str], clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[OutboxRelay]:
    """Intake's database with a lingering relay whose sending thread runs (as a pool child's:
    no poll), in place of the service's own."""
    lingering = OutboxRelay(get_db().sessions, get_celery(), linger_seconds=LINGER, clock=clock)
    monkeypatch.setattr(get_db(), "relay", lingering)
    lingering.start("test", polls=False)
    yield lingering
    lingering.stop()


def change(n: int) -> CaseStatusChangedV1:
    return CaseStatusChangedV1(tracking_code=f"PGD-TEST-{n:04d}", status="verified", sequence=n)


def commit(task: str, *messages: CaseStatusChangedV1) -> None:
    with get_db().transaction() as session:
        for message in messages:
            enqueue(session, task, message)


def published(ids: set[str]) -> bool:
    return all(row.published_at is not None for row in outbox_rows() if row.id in ids)


def sent_tasks(broker: str) -> list[tuple[str, str]]:
    return [(m["headers"]["task"], m["headers"]["id"]) for m in queued(broker, "intake")]


def test_a_hand_off_leaves_at_once_while_bookkeeping_waits_leased(
    configured: dict[str, str], relay: OutboxRelay
) -> None:
    broker = configured["PENGADUAN_REDIS_URL"]
    bookkeeping, hand_off = change(1), change(2)
    commit(INTAKE_STATUS_TASK, bookkeeping)
    commit(HAND_OFF, hand_off)

    wait_for(lambda: published({str(hand_off.message_id)}), 15, "the hand-off published")
    assert sent_tasks(broker) == [(HAND_OFF, str(hand_off.message_id))]
    [waiting] = [row for row in outbox_rows() if row.id == str(bookkeeping.message_id)]
    assert waiting.published_at is None and waiting.claimed_until is not None  # still leased

    relay.stop()  # a graceful stop sends what lingers
    assert published({str(bookkeeping.message_id)})
    assert (INTAKE_STATUS_TASK, str(bookkeeping.message_id)) in sent_tasks(broker)


def test_bookkeeping_of_several_commits_leaves_as_one_batch_when_the_linger_is_over(
    configured: dict[str, str], relay: OutboxRelay, clock: Clock
) -> None:
    broker = configured["PENGADUAN_REDIS_URL"]
    changes = [change(n) for n in range(1, 4)]
    for message in changes:  # three tasks' commits, one after the other
        commit(INTAKE_STATUS_TASK, message)
    ids = {str(m.message_id) for m in changes}

    clock.now += LINGER  # the linger is over: the next wake of the thread sends them
    hand_off = change(9)
    commit(HAND_OFF, hand_off)
    wait_for(lambda: published(ids | {str(hand_off.message_id)}), 15, "every row published")

    tasks = [task for task, _ in sent_tasks(broker)]
    assert sorted(tasks) == sorted([BATCH_TASKS[INTAKE_STATUS_TASK], HAND_OFF])
    [batch] = [m for m in queued(broker, "intake") if m["headers"]["task"] != HAND_OFF]
    assert "PGD-TEST-0001" in batch["headers"]["kwargsrepr"]
    assert "PGD-TEST-0003" in batch["headers"]["kwargsrepr"]


def test_a_full_batch_leaves_without_waiting_for_the_linger(
    configured: dict[str, str], relay: OutboxRelay
) -> None:
    changes = [change(n) for n in range(1, MAX_ITEMS + 1)]
    commit(INTAKE_STATUS_TASK, *changes)
    wait_for(lambda: published({str(m.message_id) for m in changes}), 15, "the batch published")
    [(task, _)] = sent_tasks(configured["PENGADUAN_REDIS_URL"])
    assert task == BATCH_TASKS[INTAKE_STATUS_TASK]


def test_the_linger_stays_under_half_the_lease(configured: dict[str, str]) -> None:
    relay = OutboxRelay(get_db().sessions, get_celery(), claim_seconds=4, linger_seconds=60)
    assert relay._linger == 2
