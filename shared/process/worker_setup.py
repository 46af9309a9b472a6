"""What every service's Celery worker does around its tasks: fresh engines after fork, the outbox
relay's polling thread in the main process and a sending thread in each pool child
(``shared.messaging.relay_thread``)."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable
from typing import Any

from celery import signals

from shared.database.engine import ServiceDatabase
from shared.messaging.relay import OutboxRelay
from shared.runtime.log_setup import log_celery_as
from shared.runtime.production_checks import ProductionCheck, require_production_ready

log = logging.getLogger(__name__)


def wire_worker(
    database: Callable[[], ServiceDatabase],
    service: str,
    extra_checks: Iterable[ProductionCheck] = (),
) -> None:
    """``extra_checks``: the service's own production checks (``require_production_ready``)."""
    log_celery_as(f"{service}-worker")
    # Raised while Celery imports the worker module: the worker exits before it consumes a task.
    require_production_ready(f"{service}-worker", services=(service,), extra_checks=extra_checks)

    def after_fork(**_: Any) -> None:
        # Pooled connections must not be shared with the parent across fork.
        db = database()
        db.dispose_after_fork()
        # The child's own relay thread, sending only what its tasks hand over (the main
        # process's thread polls and redrives for the whole service): a task's commit does not
        # wait on Redis, and bookkeeping rows of tasks committed close together leave as one
        # batch. A child killed first leaves its rows leased; the main process's poll takes them
        # once the lease runs out.
        if isinstance(db.relay, OutboxRelay):
            db.relay.forked()
            db.relay.start(f"{service}-child", polls=False)

    def stop_child_relay(**_: Any) -> None:
        db = database()
        if db.relay is not None:
            db.relay.stop()  # sends what lingers

    def start_relay(**_: Any) -> None:
        db = database()
        if db.relay is not None:
            db.relay.start(service)
            log.info("outbox relay for %s started", service)

    def stop_relay(**_: Any) -> None:
        db = database()
        if db.relay is not None:
            db.relay.stop()

    def freeze_before_fork(**_: Any) -> None:
        # Everything imported so far is moved out of the collector's reach: a pool child's
        # collections then never write to (and so copy) the pages it shares with this parent.
        gc.freeze()

    signals.worker_init.connect(freeze_before_fork, weak=False)  # before the pool forks
    signals.worker_process_init.connect(after_fork, weak=False)
    signals.worker_process_shutdown.connect(stop_child_relay, weak=False)
    signals.worker_ready.connect(start_relay, weak=False)
    signals.worker_shutdown.connect(stop_relay, weak=False)
