"""Which backup sets to keep: the newest set of each of the last 7 days that have one, of the
last 4 ISO weeks and of the last 12 months (docs/OPERATIONS.md, "Backups"); every other set
is pruned. Sets are named by the time they were taken (``sets.STAMP``); anything else in the
directory (a set being written, a file of the operator's) is never touched."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tools.backup.sets import STAMP


@dataclass(frozen=True)
class Retention:
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


def taken_at(path: Path) -> datetime | None:
    try:
        return datetime.strptime(path.name, STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


def kept(times: Iterable[datetime], retention: Retention) -> set[datetime]:
    newest_first = sorted(set(times), reverse=True)
    buckets: list[tuple[int, Callable[[datetime], Hashable]]] = [
        (retention.daily, lambda t: t.date()),
        (retention.weekly, lambda t: t.isocalendar()[:2]),
        (retention.monthly, lambda t: (t.year, t.month)),
    ]
    keep: set[datetime] = set()
    for count, period in buckets:
        seen: list[Hashable] = []
        for time in newest_first:
            if period(time) not in seen:
                seen.append(period(time))
                if len(seen) > count:
                    break
                keep.add(time)  # the newest of its period
    return keep


def prune(directory: Path, retention: Retention) -> list[Path]:
    """Delete the sets ``retention`` does not keep; the deleted, oldest first."""
    sets = {
        time: path for path in directory.iterdir() if path.is_dir() and (time := taken_at(path))
    }
    keep = kept(sets, retention)
    gone = [sets[time] for time in sorted(sets) if time not in keep]
    for path in gone:
        shutil.rmtree(path)
    return gone
