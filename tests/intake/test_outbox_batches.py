"""The relay claims, sends and marks its rows in batches: a batch is leased to one relay only,
and a Redis that fails in the middle of a batch loses nothing and holds nothing back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, select

from services.intake.database import get_db
from shared.database.shared_tables import OutboxMessage
from shared.messaging.celery_app import get_celery
from shared.messaging.contracts import INTAKE_STATUS_TASK, CaseStatusChangedV1
from shared.messaging.outbox import enqueue
from shared.messaging.relay import OutboxRelay
from shared.messaging.task_messages import TaskMessages
from tests.intake.conftest import outbox_rows, queued

# A task the relay sends row by row (not in ``contracts.batches.BATCH_TASKS``), so each row is a
# send of its own; never consumed here.
UNBATCHED = "intake.test.unbatched"


def three_rows(task: str = INTAKE_STATUS_TASK) -> list[str]:
    """Three committed rows no relay has seen (written past ``transaction()``, whose commit
    would have the service's own relay publish them at once)."""
    messages = [
        CaseStatusChangedV1(tracking_code=f"PGD-TEST-000{n}", status="verified", sequence=n)
        for n in range(3)
    ]
    with get_db().sessions() as session, session.begin():
        for message in messages:
            enqueue(session, task, message)
    return [str(m.message_id) for m in messages]


def relay() -> OutboxRelay:
    return OutboxRelay(get_db().sessions, get_celery())


def test_a_batch_is_leased_to_one_relay_only(configured: dict[str, str]) -> None:
    ids = three_rows()
    first, second = relay(), relay()
    assert sorted(r.id for r in first._claim_rows(ids)) == sorted(ids)
    assert second._claim_rows(ids) == []  # leased: the other relay takes none of them
    assert second.publish_pending() == 0
    assert queued(configured["PENGADUAN_REDIS_URL"], "intake") == []


def test_redis_failing_mid_batch_sends_none_of_it_and_frees_it_all(
    configured: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    broker = configured["PENGADUAN_REDIS_URL"]
    ids = three_rows(UNBATCHED)
    real_publish = TaskMessages.publish
    calls = 0

    def fails_on_the_second(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise ConnectionError("Redis is down")
        return real_publish(*args, **kwargs)

    # Redis made to fail between two sends of one batch, in this process only: no real server
    # can be stopped at that exact point (tests/journeys/test_redis_restart.py stops a real one).
    with monkeypatch.context() as patched:
        patched.setattr(TaskMessages, "publish", fails_on_the_second)
        with pytest.raises(ConnectionError):
            relay().publish_pending()
    # The batch goes to Redis as one pipeline at its end: the first message never left.
    assert queued(broker, "intake") == []
    for row in outbox_rows():  # free at once, not after the lease
        assert row.published_at is None and row.claimed_until is None

    assert relay().publish_pending() == 3
    assert all(row.published_at is not None for row in outbox_rows())
    sent = {message["headers"]["id"] for message in queued(broker, "intake")}
    assert sent == set(ids)  # each once


def statements_during(action: Callable[[], None]) -> list[str]:
    """The SQL the intake database received while ``action`` ran (its relay's included),
    without SQLite's ``BEGIN IMMEDIATE`` (PostgreSQL's BEGIN is the driver's, unseen here)."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        word = statement.split(maxsplit=1)[0].upper()
        if word != "BEGIN":
            seen.append(word)

    engine = get_db().engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def test_a_read_costs_the_relay_nothing(configured: dict[str, str]) -> None:
    def read() -> None:
        with get_db().transaction() as session:  # as a tracking page's request does
            session.scalar(select(OutboxMessage.id))

    assert statements_during(read) == ["SELECT"]  # no relay pass looking for rows


def test_a_commit_hands_its_rows_to_the_relay_without_a_search_or_claim(
    configured: dict[str, str],
) -> None:
    message = CaseStatusChangedV1(tracking_code="PGD-TEST-0001", status="verified", sequence=1)

    def write() -> None:
        with get_db().transaction() as session:
            enqueue(session, INTAKE_STATUS_TASK, message)

    # The insert, then one UPDATE marking it published: no SELECT for pending rows, no claim.
    assert statements_during(write) == ["INSERT", "UPDATE"]
    sent = queued(configured["PENGADUAN_REDIS_URL"], "intake")
    assert [m["headers"]["id"] for m in sent] == [str(message.message_id)]
    [row] = outbox_rows()
    assert row.published_at is not None and row.claimed_until is None


def test_a_row_of_a_savepoint_that_rolled_back_is_not_sent(configured: dict[str, str]) -> None:
    kept = CaseStatusChangedV1(tracking_code="PGD-TEST-0001", status="verified", sequence=1)
    dropped = CaseStatusChangedV1(tracking_code="PGD-TEST-0002", status="verified", sequence=1)
    with get_db().transaction() as session:
        enqueue(session, INTAKE_STATUS_TASK, kept)
        with pytest.raises(RuntimeError), session.begin_nested():
            enqueue(session, INTAKE_STATUS_TASK, dropped)
            session.flush()
            raise RuntimeError("the step's input was refused")
    sent = queued(configured["PENGADUAN_REDIS_URL"], "intake")
    assert [m["headers"]["id"] for m in sent] == [str(kept.message_id)]
    assert [row.id for row in outbox_rows()] == [str(kept.message_id)]
