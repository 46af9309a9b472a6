"""The retention: the newest set of each of the last 7 days, 4 weeks and 12 months is kept,
every other set pruned, and nothing but sets touched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tools.backup.retention import Retention, kept, prune
from tools.backup.sets import STAMP

LAST = datetime(2026, 12, 8, 19, 0, tzinfo=UTC)  # a Tuesday


def nightly(days: int) -> list[datetime]:
    return [LAST - timedelta(days=n) for n in range(days)]


def test_a_year_of_nightly_sets_keeps_seven_days_four_weeks_twelve_months() -> None:
    keep = kept(nightly(400), Retention())
    days = set(nightly(7))
    # The newest of each ISO week: the last night (this week), then each Sunday before.
    sundays = {LAST - timedelta(days=n) for n in (2, 9, 16)}
    # The newest of each month: the last night (December), then each month's last day.
    month_ends = {datetime(2026, m, 1, 19, tzinfo=UTC) - timedelta(days=1) for m in range(2, 13)}
    assert keep == days | sundays | month_ends
    assert len(keep) == 7 + 2 + 11  # the Sunday of 6 December is one of the seven days


def test_two_sets_in_a_night_keep_the_newer() -> None:
    earlier, later = LAST - timedelta(hours=3), LAST  # the nightly one and one before an upgrade
    assert kept([earlier, later], Retention(daily=1, weekly=0, monthly=0)) == {later}


def test_prune_deletes_only_the_sets_not_kept(tmp_path: Path) -> None:
    for time in nightly(10):
        (tmp_path / time.strftime(STAMP)).mkdir()
    (tmp_path / ".2026-12-09T190000Z.partial").mkdir()  # a set being written
    (tmp_path / "notes").mkdir()

    gone = prune(tmp_path, Retention(daily=7, weekly=0, monthly=0))

    assert [path.name for path in gone] == [t.strftime(STAMP) for t in sorted(nightly(10))[:3]]
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == sorted(
        [*(t.strftime(STAMP) for t in nightly(7)), ".2026-12-09T190000Z.partial", "notes"]
    )
