"""A role's queue gives a case already on the desk before a new case, and a new case before the
workflow's bookkeeping (issue 25); and everything that counts a queue counts every priority."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker

from shared.messaging.celery_app import (
    BOOKKEEPING_PRIORITY,
    HANDOFF_PRIORITY,
    NEW_CASE_PRIORITY,
    make_celery,
)
from shared.messaging.contracts import (
    SLA_SWEEP_TASK,
    WORKFLOW_NOTIFIED_V2_TASK,
    WORKFLOW_REOPEN_TASK,
)
from shared.messaging.queue_keys import PRIORITY_STEPS, queue_keys, queue_length
from shared.messaging.queue_metrics import queue_depths
from shared.runtime.settings import Settings
from shared.sop import STEPS, Role, step
from tools.harness.processes import wait_for


def app_on(url: str) -> Celery:
    return make_celery(Settings(broker={"redis_url": url}))


@pytest.fixture
def client(broker_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(broker_url)
    yield client
    client.close()


def priority_of(app: Celery, task: str) -> int:
    return int(app.amqp.router.route({}, task)["priority"])


def test_hand_offs_come_before_new_cases_and_new_cases_before_bookkeeping() -> None:
    app = app_on("redis://127.0.0.1:1/0")
    assert priority_of(app, STEPS[0].arrive_task) == NEW_CASE_PRIORITY
    for later in STEPS[1:]:
        assert priority_of(app, later.arrive_task) == HANDOFF_PRIORITY
    reply = f"workflow.step.{STEPS[0].number}.complainant_reply"  # a case already in
    assert priority_of(app, reply) == HANDOFF_PRIORITY
    assert priority_of(app, WORKFLOW_REOPEN_TASK) == HANDOFF_PRIORITY
    for bookkeeping in (SLA_SWEEP_TASK, WORKFLOW_NOTIFIED_V2_TASK):
        assert priority_of(app, bookkeeping) == BOOKKEEPING_PRIORITY
    # In Redis 0 is taken first; each priority is one of kombu's steps (its own list).
    assert HANDOFF_PRIORITY < NEW_CASE_PRIORITY < BOOKKEEPING_PRIORITY
    assert {HANDOFF_PRIORITY, NEW_CASE_PRIORITY, BOOKKEEPING_PRIORITY} <= set(PRIORITY_STEPS)


def test_a_queues_keys_are_kombus_priority_lists() -> None:
    assert queue_keys("admin") == ("admin", "admin\x06\x163", "admin\x06\x166", "admin\x06\x169")


def test_the_queue_depth_metric_counts_a_message_at_every_priority(
    broker_url: str, client: redis.Redis
) -> None:
    app = app_on(broker_url)
    for priority in PRIORITY_STEPS:
        app.send_task(SLA_SWEEP_TASK, priority=priority)
    # Each waits on a list of its own, and the admin queue's depth is all of them.
    assert [client.llen(key) for key in queue_keys("admin")] == [1] * len(PRIORITY_STEPS)
    assert queue_depths(broker_url)["admin"] == len(PRIORITY_STEPS)
    assert queue_length(client, "admin") == len(PRIORITY_STEPS)


def test_the_routes_put_each_kind_of_message_on_its_priority_list(
    broker_url: str, client: redis.Redis
) -> None:
    app = app_on(broker_url)
    app.send_task(STEPS[0].arrive_task, kwargs={"n": 1})
    app.send_task(STEPS[-1].arrive_task, kwargs={"n": 1})
    app.send_task(SLA_SWEEP_TASK)
    handoffs, new_cases, bookkeeping, _ = queue_keys(Role.ADMIN.value)
    assert (client.llen(handoffs), client.llen(new_cases), client.llen(bookkeeping)) == (1, 1, 1)
    assert queue_depths(broker_url)[Role.ADMIN.value] == 3


def test_a_worker_takes_a_case_already_on_the_desk_before_a_new_case(broker_url: str) -> None:
    """The admin has two kinds of work on one queue: new cases (step 1) and cases handed back
    for the final answer (step 5). A case handed on waits behind no new case queued before it."""
    new_case, handed_on = step(1), step(5)
    assert new_case.queue == handed_on.queue == Role.ADMIN.value
    app = app_on(broker_url)
    taken: list[int] = []
    both = threading.Event()

    def record(number: int, message: dict[str, int]) -> None:
        assert message == {"step": number}
        taken.append(number)
        if len(taken) == 2:
            both.set()

    def consumer(number: int) -> Callable[[dict[str, int]], None]:
        def arrive(message: dict[str, int]) -> None:  # a named function: Celery reads its head
            record(number, message)

        return arrive

    # Stand-ins under names of their own (the workflow's real consumers are shared with every
    # app of the process once imported, and would win a name clash), each sent with the queue
    # and priority the route table gives the real task.
    for s in (new_case, handed_on):
        app.task(name=f"test.order.step{s.number}", shared=False)(consumer(s.number))
    # The new case was queued first; nobody took it before the hand-off came.
    for s in (new_case, handed_on):
        route = app.amqp.router.route({}, s.arrive_task)
        app.send_task(
            f"test.order.step{s.number}",
            kwargs={"message": {"step": s.number}},
            queue=route["queue"],
            priority=route["priority"],
        )

    with start_worker(
        app, pool="solo", concurrency=1, queues=[new_case.queue], perform_ping_check=False
    ):
        wait_for(both.is_set, 30, "both messages taken")
    assert taken == [handed_on.number, new_case.number]
