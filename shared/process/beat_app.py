"""The Celery app beat runs: ``celery -A shared.process.beat_app beat -s <schedule file>``.

Beat only sends the tasks of ``beat_schedule`` (``shared.messaging.celery_app``), routed like any
other task; it imports no service. Exactly one beat may run: two would send every sweep twice (which
the sweep survives, but it is work for nothing).

``python -m shared.process.beat_app <schedule file>`` is beat's health check: beat rewrites its
schedule file after every task it sends (``beat_sync_every=1``), so a file not touched for a few
sweep intervals means a beat that stopped sending.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from celery import Celery

from shared.messaging.celery_app import get_celery
from shared.runtime.log_setup import log_celery_as
from shared.runtime.production_checks import require_production_ready
from shared.runtime.settings import Settings, get_settings

app: Celery = get_celery()
log_celery_as("beat")
# Beat only sends to Redis: no database, no tokens, no cookies to check.
require_production_ready("beat", jwt=False, cookies=False)

# Slack before a quiet schedule file counts as a stalled beat: a few missed sweeps, never less
# than a minute (a loaded machine delays one sweep without anything being wrong).
MISSED_SWEEPS = 3
MIN_SILENCE_SECONDS = 60.0


def schedule_is_fresh(schedule: Path, settings: Settings, now: float | None = None) -> bool:
    """Whether beat wrote ``schedule`` recently. dbm adds its own suffixes to the name
    (``.db``, ``.dat``...) depending on the backend Python has, so every such file counts."""
    written = [p.stat().st_mtime for p in schedule.parent.glob(f"{schedule.name}*")]
    if not written:
        return False
    silence = max(MISSED_SWEEPS * settings.sla.sweep_seconds, MIN_SILENCE_SECONDS)
    return (now if now is not None else time.time()) - max(written) <= silence


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m shared.process.beat_app <beat schedule file>", file=sys.stderr)
        return 2
    if schedule_is_fresh(Path(argv[0]), get_settings()):
        return 0
    print(f"beat has not written {argv[0]} lately: it is not sending", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
