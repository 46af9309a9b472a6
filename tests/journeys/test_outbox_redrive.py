"""A hand-off lost after it left the outbox (kombu popped it and the worker died before it was
recorded as unacknowledged; here the message is taken off its queue by hand, the same loss) still
reaches the next role: the outbox sends every message once more after a delay, and the copy is
applied once."""

from __future__ import annotations

import pytest
import redis

from shared.messaging.queue_keys import queue_keys, queue_length
from shared.sop import Role
from tools.harness.desk import Desk
from tools.harness.processes import wait_for

REDRIVE_SECONDS = "3"


@pytest.fixture
def service_env(service_env: dict[str, str]) -> dict[str, str]:
    return {**service_env, "PENGADUAN_OUTBOX_REDRIVE_SECONDS": REDRIVE_SECONDS}


def test_a_hand_off_lost_from_its_queue_reaches_the_admin_all_the_same(system: Desk) -> None:
    broker = redis.Redis.from_url(system.env["PENGADUAN_REDIS_URL"])
    system.workers["workflow"].stop()  # nobody takes the hand-off off the admin queue now
    filed = system.file_complaint()
    wait_for(lambda: queue_length(broker, "admin") == 1, 30, "the hand-off on the admin queue")
    # Lost, as between kombu's BRPOP and its unacked record (a new case waits on the admin
    # queue's list for its priority: the key is one of the queue's lists).
    assert broker.delete(*queue_keys("admin")) == 1

    system.restart_worker("workflow")
    item = system.wait_for_work(Role.ADMIN, filed["tracking_code"], 1, timeout=60)
    # Applied once: one case, one arrival at step 1, although the copy came too.
    history = system.case(item["case_id"])["history"]
    assert [(e["kind"], e["step"]) for e in history].count(("arrived", 1)) == 1
    mine = [i for i in system.worklist(Role.ADMIN) if i["tracking_code"] == filed["tracking_code"]]
    assert len(mine) == 1
    broker.close()
