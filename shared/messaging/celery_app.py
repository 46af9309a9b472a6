"""The one Celery app every service uses, and the one table that routes tasks to queues.

Queues: one per SOP role (built from ``shared.sop``), plus ``intake`` and ``notifier``. Flower
shows each role's queue under the role's name.
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


def task_routes() -> dict[str, dict[str, str]]:
    routes = {f"workflow.step.{step.number}.*": {"queue": step.queue} for step in STEPS}
    # The workflow's own bookkeeping (what the notifier delivered) is the complaint desk admin's:
    # the admin is the role that talks with the complainant (steps 1 and 5).
    routes["workflow.record.*"] = {"queue": Role.ADMIN.value}
    # So is the Mutu Baku sweep (warnings and breaches of every role's steps): the workflow's
    # periodic bookkeeping, on a queue the workflow worker consumes.
    routes["workflow.sla.*"] = {"queue": Role.ADMIN.value}
    # A file the complainant attached is the complainant desk's, as their replies are.
    routes[WORKFLOW_ATTACHMENT_TASK] = {"queue": complainant_desk().value}
    # So are the complainant's rating of the answer and their request to reopen it: consumers
    # of a complainant's message (the workflow's reopening decides the step afterwards).
    routes[WORKFLOW_RATED_TASK] = {"queue": complainant_desk().value}
    routes[WORKFLOW_REOPEN_TASK] = {"queue": complainant_desk().value}
    # And their SKM survey answers and their request to erase their personal data.
    routes[WORKFLOW_SURVEY_TASK] = {"queue": complainant_desk().value}
    routes[WORKFLOW_ERASURE_TASK] = {"queue": complainant_desk().value}
    # The daily retention sweep: the workflow's periodic bookkeeping, as the SLA sweep.
    routes["workflow.privacy.*"] = {"queue": Role.ADMIN.value}
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
            "unacked_restore_interval": settings.broker.restore_interval,
            "unacked_restore_throttle": 1,
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
