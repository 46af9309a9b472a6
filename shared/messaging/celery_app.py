"""The one Celery app every service uses, and the one table that routes tasks to queues.

Queues: one per SOP role (built from ``shared.sop``), plus ``intake`` and ``notifier``. Flower
shows each role's queue under the role's name.

Priorities: a role's queue holds hand-offs of cases already on the desk, new cases and the
workflow's bookkeeping. Each route carries its message priority, so a case already taken in is
not left waiting behind every new case queued after it (issue 25): kombu's Redis transport keeps
one list per priority and a worker takes from the highest (0) first
(``shared.messaging.queue_keys``). Anything that publishes reads the priority from this table
(Celery's router, ``app.amqp.router.route({}, name)``).
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from kombu.entity import Exchange, Queue

from shared.messaging import broker_transport
from shared.messaging.contracts.tasks import (
    DELIVERY_SWEEP_TASK,
    RETENTION_SWEEP_TASK,
    SLA_SWEEP_TASK,
    WORKFLOW_ATTACHMENT_TASK,
    WORKFLOW_ERASURE_TASK,
    WORKFLOW_RATED_TASK,
    WORKFLOW_REOPEN_TASK,
    WORKFLOW_SURVEY_TASK,
)
from shared.runtime.settings import Settings, get_settings
from shared.sop import STEPS, Role, complainant_desk

INTAKE_QUEUE = "intake"
NOTIFIER_QUEUE = "notifier"
ROLE_QUEUES: tuple[str, ...] = tuple(role.value for role in Role)
ALL_QUEUES: tuple[str, ...] = (INTAKE_QUEUE, *ROLE_QUEUES, NOTIFIER_QUEUE)
RETENTION_SWEEP_SECONDS = 24 * 60 * 60  # the retention sweep runs once a day


# Message priorities, kombu's Redis steps (0, 3, 6, 9), 0 taken first.
HANDOFF_PRIORITY = 0  # a case already on the desk: handed on between steps, a complainant's reply
NEW_CASE_PRIORITY = 3  # a case arriving at the SOP's first step
BOOKKEEPING_PRIORITY = 6  # records, sweeps, reports: no case waits on them


# A route: the queue's name and the message priority (Celery passes both on to kombu).
Route = dict[str, str | int]


def task_routes() -> dict[str, Route]:
    # The first step's arrival is a new case; exact names come before patterns in Celery's
    # router (and first in this table, for ``tools.sop_docs``).
    first = STEPS[0]
    routes: dict[str, Route] = {
        first.arrive_task: {"queue": first.queue, "priority": NEW_CASE_PRIORITY}
    }
    for step in STEPS:
        routes[f"workflow.step.{step.number}.*"] = {
            "queue": step.queue,
            "priority": HANDOFF_PRIORITY,
        }
    bookkeeping: Route = {"queue": Role.ADMIN.value, "priority": BOOKKEEPING_PRIORITY}
    # The workflow's own bookkeeping (what the notifier delivered) is the complaint desk admin's:
    # the admin is the role that talks with the complainant (steps 1 and 5).
    routes["workflow.record.*"] = dict(bookkeeping)
    # So is the Mutu Baku sweep (warnings and breaches of every role's steps): the workflow's
    # periodic bookkeeping, on a queue the workflow worker consumes.
    routes["workflow.sla.*"] = dict(bookkeeping)
    # A file the complainant attached is the complainant desk's, as their replies are.
    # The complainant's messages about a case already in keep one priority, a reply's, so they
    # are taken in the order they were sent.
    desk: Route = {"queue": complainant_desk().value, "priority": HANDOFF_PRIORITY}
    routes[WORKFLOW_ATTACHMENT_TASK] = dict(desk)
    # So are the complainant's rating of the answer and their request to reopen it: consumers
    # of a complainant's message (the workflow's reopening decides the step afterwards).
    routes[WORKFLOW_RATED_TASK] = dict(desk)
    routes[WORKFLOW_REOPEN_TASK] = dict(desk)
    # And their SKM survey answers and their request to erase their personal data.
    routes[WORKFLOW_SURVEY_TASK] = dict(desk)
    routes[WORKFLOW_ERASURE_TASK] = dict(desk)
    # The daily retention sweep: the workflow's periodic bookkeeping, as the SLA sweep.
    routes["workflow.privacy.*"] = dict(bookkeeping)
    routes["intake.*"] = {"queue": INTAKE_QUEUE}
    routes["notifier.*"] = {"queue": NOTIFIER_QUEUE}
    return routes


def _queue(name: str) -> Queue:
    # Each queue on a direct exchange of its own name, so Flower and the broker show the pair.
    return Queue(name, Exchange(name, type="direct"), routing_key=name)  # type: ignore[no-untyped-call]


def make_celery(settings: Settings | None = None) -> Celery:
    settings = settings or get_settings()
    broker_transport.register()  # kombu's Redis transport, keeping its client
    app = Celery("pengaduan", broker=settings.broker.url, set_as_current=False)
    app.conf.update(
        task_routes=task_routes(),
        task_queues=[_queue(name) for name in ALL_QUEUES],
        task_default_queue=INTAKE_QUEUE,
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,
        # Acknowledge after the task ran, and give the message back if the worker process dies.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=2,
        broker_transport_options={
            "visibility_timeout": settings.broker.visibility_timeout,
            # A live worker re-scores what it holds three times per timeout: two refreshes can
            # be missed (a Redis hiccup) before its messages are given away.
            broker_transport.REFRESH_OPTION: max(1, settings.broker.visibility_timeout // 3),
            "unacked_restore_interval": settings.broker.restore_interval,
            "unacked_restore_throttle": 1,
            # A worker killed while restoring leaves kombu's restore lock behind until it
            # expires (kombu: 300 s); restoring takes milliseconds.
            "unacked_mutex_expire": 10,
            "socket_connect_timeout": 2,
        },
        worker_send_task_events=True,  # Flower's task view
        task_send_sent_event=True,
        enable_utc=True,
        timezone="UTC",
        beat_schedule=beat_schedule(settings),
        # Write beat's schedule file after every task it sends, not every three minutes: its
        # modification time is then beat's heartbeat (``shared.process.beat_app`` checks it).
        beat_sync_every=1,
    )
    return app


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """What Celery beat sends, and how often. A sweep not started before the next is due is
    dropped (``expires``): after an outage the workers find one sweep waiting, not hundreds."""
    sla = settings.sla.sweep_seconds
    deliveries = settings.delivery.sweep_seconds
    return {
        "sla-sweep": {"task": SLA_SWEEP_TASK, "schedule": sla, "options": {"expires": sla}},
        "delivery-sweep": {
            "task": DELIVERY_SWEEP_TASK,
            "schedule": deliveries,
            "options": {"expires": deliveries},
        },
        # Daily: erase the personal data of the cases closed longer than the retention time
        # (``settings.privacy.retention_days``) ago.
        "retention-sweep": {
            "task": RETENTION_SWEEP_TASK,
            "schedule": RETENTION_SWEEP_SECONDS,
            "options": {"expires": RETENTION_SWEEP_SECONDS},
        },
    }


_app: Celery | None = None


def get_celery() -> Celery:
    """The process's Celery app, built from the settings on first use."""
    global _app  # noqa: PLW0603 - one app per process, created lazily so settings load first
    if _app is None:
        _app = make_celery()
    return _app
