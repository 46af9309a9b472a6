"""The outbox sends a message once more, a while after it was first published, unless a consumer
has confirmed it (its receipt): the copy saves a message kombu popped but never recorded as
unacknowledged (a worker killed, or Redis stopped, between the two), and the consumer drops it
when the first arrived after all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from services.intake.database import get_db
from shared.database.engine import utcnow
from shared.database.shared_tables import OutboxMessage
from shared.messaging import receipts
from shared.messaging.celery_app import get_celery
from shared.messaging.relay import OutboxRelay
from shared.messaging.task_messages import TaskMessages
from tests.intake.conftest import complaint_body, outbox_rows, queued
from tools.harness.processes import wait_for

REDRIVE = 60


@pytest.fixture
def relay(configured: dict[str, str]) -> OutboxRelay:
    return OutboxRelay(get_db().sessions, get_celery(), redrive_seconds=REDRIVE)


def age_published(seconds: float) -> None:
    with get_db().transaction() as session:
        session.execute(
            update(OutboxMessage).values(published_at=utcnow() - timedelta(seconds=seconds))
        )


def test_each_message_is_sent_once_more_after_the_redrive_delay(
    client: TestClient, relay: OutboxRelay, configured: dict[str, str]
) -> None:
    broker = configured["PENGADUAN_REDIS_URL"]
    assert client.post("/api/v1/complaints", json=complaint_body()).status_code == 202
    wait_for(lambda: all(row.published_at for row in outbox_rows()), 15, "rows published")
    [first] = queued(broker, "admin")

    assert relay.redrive_due() == 0  # not yet due: nothing sent twice in the meantime
    age_published(REDRIVE + 1)
    assert relay.redrive_due() == 2  # the hand-off to step 1 and the acknowledgement
    copies = queued(broker, "admin")
    assert len(copies) == 2
    # The same task id and payload: the consumer recognises the copy by its message id.
    assert {c["headers"]["id"] for c in copies} == {first["headers"]["id"]}
    assert {c["body"] for c in copies} == {first["body"]}
    assert all(row.redriven_at is not None for row in outbox_rows())

    age_published(10 * REDRIVE)
    assert relay.redrive_due() == 0  # once, not again and again
    assert len(queued(broker, "admin")) == 2


def test_a_message_a_consumer_confirmed_is_not_sent_again(
    client: TestClient, relay: OutboxRelay, configured: dict[str, str]
) -> None:
    broker = configured["PENGADUAN_REDIS_URL"]
    assert client.post("/api/v1/complaints", json=complaint_body()).status_code == 202
    wait_for(lambda: all(row.published_at for row in outbox_rows()), 15, "rows published")
    [hand_off] = queued(broker, "admin")
    confirmed = hand_off["headers"]["id"]
    receipts.confirm(get_celery(), confirmed)  # as the workflow's consumer does after its commit
    age_published(REDRIVE + 1)

    assert relay.redrive_due() == 1  # only the acknowledgement, whose receipt is missing
    assert len(queued(broker, "admin")) == 1
    # Every row had its pass, the confirmed one too: none is looked at again.
    assert all(row.redriven_at is not None for row in outbox_rows())
    assert relay.redrive_due() == 0


def test_a_redrive_that_cannot_reach_redis_is_tried_again(
    client: TestClient, configured: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.post("/api/v1/complaints", json=complaint_body()).status_code == 202
    wait_for(lambda: all(row.published_at for row in outbox_rows()), 15, "rows published")
    age_published(REDRIVE + 1)
    broken = OutboxRelay(get_db().sessions, get_celery(), redrive_seconds=REDRIVE)

    def unreachable(*_: object, **__: object) -> None:
        raise ConnectionError("Redis is down")

    # Publishing made to fail in this process only: stopping the session's Redis would take it
    # from every other test (tests/journeys/test_redis_restart.py stops a real one).
    with monkeypatch.context() as patched:
        patched.setattr(TaskMessages, "send_batch", unreachable)
        with pytest.raises(ConnectionError):
            broken.redrive_due()
    assert all(row.redriven_at is None for row in outbox_rows())
    assert broken.redrive_due() == 2
