"""The Makefile's recipes and .ci/run: ``make run`` and ``make test``, CI against the machine's
PostgreSQL and Redis and again under four moved clocks."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from shared.runtime.settings.project import PROJECT_ROOT


def make_recipe(target: str) -> str:
    text = (PROJECT_ROOT / "Makefile").read_text()
    match = re.search(rf"^{target}:[^\n]*\n((?:\t[^\n]*\n)+)", text, re.MULTILINE)
    assert match, f"Makefile has no {target} target with a recipe"
    return match.group(1)


def test_make_run_starts_the_embedded_runner() -> None:
    assert "-m tools.run_embedded" in make_recipe("run")


def test_make_backup_and_restore_run_the_backup_tool() -> None:
    assert "-m tools.backup create --prune" in make_recipe("backup")
    restore = make_recipe("restore")
    assert "-m tools.backup restore $(FROM)" in restore
    assert 'test -n "$(FROM)"' in restore  # no set named: a usage message, not a traceback


def test_make_test_runs_pytest_on_several_workers_a_file_each() -> None:
    recipe = make_recipe("test")
    assert "-m pytest -n $(TEST_WORKERS) --dist loadfile" in recipe


def test_ci_runs_make_test_against_the_machines_postgres_and_redis() -> None:
    script = (PROJECT_ROOT / ".ci" / "run").read_text()
    assert "set -euo pipefail" in script
    assert "PENGADUAN_TEST_DATABASE_URL=postgresql+psycopg://" in script
    assert "PENGADUAN_TEST_REDIS_URL=redis://" in script
    assert "make test" in script.splitlines()
    # Debian's chromium, installed when missing, so CI never skips the browser tests.
    assert "apt-get install -y -qq chromium" in script


def test_ci_runs_the_fast_part_again_under_four_moved_clocks() -> None:
    script = (PROJECT_ROOT / ".ci" / "run").read_text()
    stamps = re.findall(r'"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d)"', script)
    office = [datetime.fromisoformat(s).astimezone(ZoneInfo("Asia/Jakarta")) for s in stamps]
    assert any(m.weekday() == 6 and m.hour >= 22 for m in office), "a Sunday night"
    assert any((m.month, m.day) == (8, 17) for m in office), "17 August, a national holiday"
    assert any((m.month, m.day, m.hour, m.minute) == (12, 31, 23, 59) for m in office)
    assert "date -u -d '+1 year'" in script  # a year from the day CI runs
    assert 'PENGADUAN_TEST_CLOCK="${shifted_dates[i]}"' in script
    # In one process each: two runs at a time already share the two cores, each on its own db.
    assert "make test TEST_WORKERS=0 ARGS='-m \"not journey\" -q'" in script
    header = 'echo "=== the fast part of the suite with the clock at ${shifted_dates[i]} ==="'
    assert header in script
    assert 'exit "${failed}"' in script  # a failed run fails CI
