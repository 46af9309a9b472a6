"""Fault injection for the crash tests: a named checkpoint that blocks until the process dies.

Off unless ``PENGADUAN_FAULT_PAUSE_AT`` names the checkpoint; the tests set it on a worker
they are about to SIGKILL, to kill it at an exact point of a task rather than by timing luck.
"""

from __future__ import annotations

import logging
import threading

from shared.runtime.settings import get_settings

log = logging.getLogger(__name__)


def checkpoint(name: str) -> None:
    if get_settings().faults.pause_at != name:
        return
    log.warning("fault checkpoint %s reached: pausing until killed", name)
    print(f"FAULT-CHECKPOINT-REACHED {name}", flush=True)
    threading.Event().wait()
