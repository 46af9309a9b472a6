"""Redis goes away in the middle of a case and comes back: the staff API still records the step,
the hand-off waits in the outbox, and every worker resumes consuming once Redis is back."""

from __future__ import annotations

import pytest

from shared.sop import Role
from tools.harness.desk import STEP_INPUTS, Desk
from tools.harness.redis_server import RedisServer


@pytest.fixture
def broker_url(private_redis: RedisServer) -> str:
    return f"{private_redis.url}/0"


def test_a_step_completed_while_redis_is_down_reaches_the_next_role_after_restart(
    system: Desk, private_redis: RedisServer
) -> None:
    filed = system.file_complaint()
    item = system.wait_for_work(Role.ADMIN, filed["tracking_code"], 1)

    private_redis.stop()
    done = system.complete(Role.ADMIN, item["case_id"], 1)
    assert done.status_code == 202, done.text  # on record, the hand-off kept in the outbox
    assert system.case(item["case_id"])["current_step"] == 2

    private_redis.start()  # same port, same data directory
    system.walk(filed["tracking_code"], range(2, 6))
    tracked = system.wait_for_status(filed, "answered", timeout=90)
    assert tracked["answer"] == STEP_INPUTS[4]["answer"]
    assert len(system.answer_emails()) == 1
