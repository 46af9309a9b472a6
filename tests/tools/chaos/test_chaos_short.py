"""The chaos suite, short: 20 complaints through the five steps while each kind of fault strikes
once or twice (every worker SIGKILLed once, Redis restarted and stopped for a few seconds, the
SMTP server and the SMS gateway down for a few seconds, a message delivered twice). Every
complaint answered exactly once, nothing stuck. `make chaos` is the long run (tools/chaos.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rich.console import Console

from tools.chaos.runner import Config, run

pytestmark = pytest.mark.journey


def test_twenty_complaints_through_every_kind_of_fault_answered_exactly_once(
    tmp_path: Path,
) -> None:
    seed = os.environ.get("CHAOS_SEED")
    config = Config(
        complaints=20,
        faults=8,
        seed=int(seed) if seed else None,
        redis_outage=4,
        provider_outage=3,
        fault_gap=(0.5, 2.0),
        file_interval=0.3,
        # A lost Celery retry is found by the delivery sweep after 90 s without a try.
        settle_timeout=300,
        workdir=tmp_path / "chaos",
    )
    results = run(config, Console(width=120))

    assert results.settled, f"not quiet in time (seed {results.seed})"
    assert results.complaints_accepted == 20
    assert sum(results.faults.values()) == 8
    assert set(results.faults) == {
        "kill-worker",
        "restart-redis",
        "redis-outage",
        "smtp-outage",
        "sms-outage",
        "duplicate-delivery",
    }
    assert results.lost == [], f"seed {results.seed}"
    assert results.duplicated == [], f"seed {results.seed}"
    assert results.stuck == [], f"seed {results.seed}"
