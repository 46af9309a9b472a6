"""A message a consumer cannot apply is kept, listed and can be sent again, not lost."""

from __future__ import annotations

import pytest
from celery import Task
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.database import get_db
from shared.database.shared_tables import FailedMessage, OutboxMessage, ProcessedMessage
from shared.messaging.celery_app import get_celery
from shared.messaging.consumer import consumer
from shared.messaging.contracts import CaseStatusChangedV1
from tools.dead_letters import main

TASK = "intake.test.cannot_apply"


def _broken(session: Session, message: CaseStatusChangedV1) -> None:
    raise ValueError("the row does not fit the column")


@pytest.fixture
def broken_task(configured: dict[str, str]) -> Task:
    app = get_celery()
    # Registered once per process: the process keeps one Celery app, which refuses a second
    # callable under the same name (DuplicateTaskNameWarning) when any later test reads its tasks.
    if TASK in app.tasks:
        return app.tasks[TASK]
    return consumer(app, name=TASK, contract=CaseStatusChangedV1, database=get_db)(_broken)


def _failed() -> list[FailedMessage]:
    with get_db().sessions() as session:
        return list(session.scalars(select(FailedMessage)))


def test_a_message_that_fails_for_good_is_kept_with_its_error(broken_task: Task) -> None:
    message = CaseStatusChangedV1(tracking_code="PGD-AAAA-BBBB", status="verifying", sequence=3)
    result = broken_task.apply(kwargs={"message": message.model_dump(mode="json")})
    assert result.failed()
    [failed] = _failed()
    assert failed.task_name == TASK
    assert failed.message_id == str(message.message_id)
    assert failed.payload["status"] == "verifying"
    assert "the row does not fit the column" in failed.error
    with get_db().sessions() as session:
        assert session.scalars(select(ProcessedMessage)).all() == []


def test_an_invalid_payload_is_kept_too(broken_task: Task) -> None:
    broken_task.apply(kwargs={"message": {"tracking_code": 42}})
    [failed] = _failed()
    assert failed.payload == {"tracking_code": 42}
    assert failed.message_id is None


def test_operators_list_and_replay_a_failed_message_once(
    broken_task: Task, capsys: pytest.CaptureFixture[str]
) -> None:
    message = CaseStatusChangedV1(tracking_code="PGD-AAAA-BBBB", status="verifying", sequence=3)
    broken_task.apply(kwargs={"message": message.model_dump(mode="json")})
    [failed] = _failed()

    assert main(["intake", "list"]) == 0
    assert failed.id in capsys.readouterr().out

    assert main(["intake", "replay", failed.id]) == 0
    with get_db().sessions() as session:
        [queued] = session.scalars(select(OutboxMessage).where(OutboxMessage.task_name == TASK))
    assert queued.payload == failed.payload
    assert main(["intake", "replay", failed.id]) == 1  # not twice
    capsys.readouterr()
    main(["intake", "list"])
    assert failed.id not in capsys.readouterr().out
