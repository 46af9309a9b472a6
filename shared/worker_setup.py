"""What every service's Celery worker does around its tasks: fresh engines after fork, and the
outbox relay thread in the main process."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import signals

from shared.db import ServiceDatabase

log = logging.getLogger(__name__)


def wire_worker(database: Callable[[], ServiceDatabase], service: str) -> None:
    @signals.worker_process_init.connect(weak=False)
    def _after_fork(**_: Any) -> None:
        # Pooled connections must not be shared with the parent across fork.
        database().dispose_after_fork()

    @signals.worker_ready.connect(weak=False)
    def _start_relay(**_: Any) -> None:
        db = database()
        if db.relay is not None:
            db.relay.start(service)
            log.info("outbox relay for %s started", service)

    @signals.worker_shutdown.connect(weak=False)
    def _stop_relay(**_: Any) -> None:
        db = database()
        if db.relay is not None:
            db.relay.stop()
