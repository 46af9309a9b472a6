"""What a consuming task does when its try fails, on a real PostgreSQL server of the tests' own:
a database away is waited out (or the message goes back on its queue), never a dead letter; a
passing error is retried through the broker; only the last retry, or an error no retry can fix,
becomes a dead letter, and that dead letter is committed before the message could be
acknowledged."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from celery import Task
from celery.exceptions import Reject
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.intake.database import get_db
from shared.database.shared_tables import FailedMessage, ProcessedMessage
from shared.messaging.celery_app import get_celery
from shared.messaging.consumer import consumer
from shared.messaging.contracts import CaseStatusChangedV1
from tests.support.state import reset_process_state
from tools.harness.databases import PostgresDatabases, fresh_set
from tools.harness.postgres_cluster import PostgresCluster, admit_connections, refuse_connections

TASK = "intake.test.settling"


class PassingTrouble(ConnectionError):
    """A consumer's own passing error (its ``retry_for``)."""


# What the consumer's function does on its next call (set by each test).
BEHAVIOUR: dict[str, Any] = {}


def _apply(session: Session, message: CaseStatusChangedV1) -> None:
    action = BEHAVIOUR.get("action")
    if action is not None:
        action()


@pytest.fixture
def database_urls(own_postgres_pool: PostgresDatabases) -> dict[str, str]:
    return fresh_set(own_postgres_pool)


@pytest.fixture
def task(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Task]:
    monkeypatch.setenv("PENGADUAN_DATABASE_OUTAGE_PATIENCE_SECONDS", "2")
    monkeypatch.setenv("PENGADUAN_DATABASE_OUTAGE_BACKOFF_MAX_SECONDS", "0.2")
    reset_process_state()
    app = get_celery()
    BEHAVIOUR.clear()
    if TASK in app.tasks:
        yield app.tasks[TASK]
    else:
        yield consumer(
            app,
            name=TASK,
            contract=CaseStatusChangedV1,
            database=get_db,
            retry_for=(PassingTrouble,),
        )(_apply)
    BEHAVIOUR.clear()


@pytest.fixture
def intake_database(own_postgres: PostgresCluster, database_urls: dict[str, str]) -> str:
    return database_urls["intake"].rsplit("/", 1)[1]


def message() -> dict[str, Any]:
    msg = CaseStatusChangedV1(tracking_code="PGD-AAAA-BBBB", status="verifying", sequence=3)
    return {"message": msg.model_dump(mode="json")}


def count(table: type[FailedMessage] | type[ProcessedMessage]) -> int:
    with get_db().sessions() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_a_database_outage_is_waited_out_and_the_message_applies_once(
    task: Task, own_postgres: PostgresCluster, intake_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PENGADUAN_DATABASE_OUTAGE_PATIENCE_SECONDS", "60")
    reset_process_state()
    refuse_connections(own_postgres.url(), intake_database)
    # The scenario is an outage of about a second: the task must not give up meanwhile.
    back = threading.Timer(1.0, admit_connections, (own_postgres.url(), intake_database))
    back.start()
    result = task.apply(kwargs=message())
    back.join()

    assert result.state == "SUCCESS", result.traceback
    assert result.result == "applied"
    assert count(ProcessedMessage) == 1
    assert count(FailedMessage) == 0


def test_past_the_patience_the_message_goes_back_on_its_queue_not_to_the_dead_letters(
    task: Task, own_postgres: PostgresCluster, intake_database: str
) -> None:
    refuse_connections(own_postgres.url(), intake_database)
    result = task.apply(kwargs=message())
    admit_connections(own_postgres.url(), intake_database)

    assert isinstance(result.result, Reject)
    assert result.result.requeue  # back on its queue, not acknowledged
    assert count(FailedMessage) == 0
    assert count(ProcessedMessage) == 0
    assert task.apply(kwargs=message()).result == "applied"  # the next delivery applies it


def test_a_passing_error_is_retried_and_only_its_last_retry_becomes_a_dead_letter(
    task: Task,
) -> None:
    tries = 0

    def trouble() -> None:
        nonlocal tries
        tries += 1
        raise PassingTrouble("the other server is down")

    BEHAVIOUR["action"] = trouble
    # Run as the next-to-last retry: Celery runs an eager task's retry at once, so this is the
    # try that is retried and then the last one.
    result = task.apply(kwargs=message(), retries=task.max_retries - 1)

    assert tries == 2
    assert result.state == "FAILURE"
    with get_db().sessions() as session:
        [failed] = session.scalars(select(FailedMessage)).all()  # one: the last try's
    assert "the other server is down" in failed.error
    assert count(ProcessedMessage) == 0


def test_a_dead_letter_the_database_cannot_take_puts_the_message_back_on_its_queue(
    task: Task, own_postgres: PostgresCluster, intake_database: str
) -> None:
    def broken_while_the_database_goes() -> None:
        refuse_connections(own_postgres.url(), intake_database)
        raise ValueError("a bug: no retry fixes it")

    BEHAVIOUR["action"] = broken_while_the_database_goes
    result = task.apply(kwargs=message())
    admit_connections(own_postgres.url(), intake_database)

    assert isinstance(result.result, Reject)
    assert result.result.requeue  # not acknowledged without its dead letter
    assert count(FailedMessage) == 0
