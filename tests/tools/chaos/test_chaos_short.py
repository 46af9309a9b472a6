"""The chaos suite, short: 20 complaints through the five steps while each kind of fault strikes
once or twice (every worker SIGKILLed once, Redis restarted and stopped for a few seconds, the
SMTP server and the SMS gateway down for a few seconds, a message delivered twice; on PostgreSQL
the run's own server restarted and stopped, one service's database refusing connections and every
connection slot taken; on SQLite a database file locked). Every complaint answered exactly once,
nothing stuck, no dead letter, every fault healed. `make chaos` is the long run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rich.console import Console

from tools.chaos.database_faults import POSTGRES_FAULTS, SQLITE_FAULTS
from tools.chaos.results import BASE_FAULTS
from tools.chaos.runner import Config, run
from tools.harness.postgres_cluster import binaries

pytestmark = pytest.mark.journey


def test_twenty_complaints_through_every_kind_of_fault_answered_exactly_once(
    tmp_path: Path,
) -> None:
    postgres = bool(os.environ.get("PENGADUAN_TEST_DATABASE_URL"))
    if postgres and binaries() is None:
        pytest.skip("PostgreSQL's server binaries are not installed")
    kinds = set(BASE_FAULTS) | set(POSTGRES_FAULTS if postgres else SQLITE_FAULTS)
    faults = len(kinds) + 2  # every kind once, and each of the three workers killed
    seed = os.environ.get("CHAOS_SEED")
    config = Config(
        complaints=20,
        faults=faults,
        seed=int(seed) if seed else None,
        redis_outage=4,
        provider_outage=3,
        database_outage=(3.0, 5.0),
        database_hold=(3.0, 4.0),
        fault_gap=(0.5, 2.0),
        file_interval=0.3,
        # A lost Celery retry is found by the delivery sweep after 90 s without a try.
        settle_timeout=300,
        workdir=tmp_path / "chaos",
    )
    results = run(config, Console(width=120))

    assert results.settled, f"not quiet in time (seed {results.seed})"
    assert results.complaints_accepted == 20
    assert sum(results.faults.values()) == faults
    assert set(results.faults) == kinds
    assert results.lost == [], f"seed {results.seed}"
    assert results.duplicated == [], f"seed {results.seed}"
    assert results.stuck == [], f"seed {results.seed}"
    assert results.dead_letters == 0, f"seed {results.seed}"
    assert results.unhealed == [], f"seed {results.seed}"
    assert set(results.heals) == kinds  # each fault's time to heal was measured
    assert (
        set(results.memory_before)
        == set(results.memory_after)
        >= {
            "worker-intake",
            "worker-workflow",
            "worker-notifier",
        }
    )
