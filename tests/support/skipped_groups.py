"""A pytest plugin that closes a run with one line naming each group of tests that was skipped
because this machine lacks a part, and how to get it, so a green ``make test`` that never opened
a browser says so where it is read (just above pytest's own closing line)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Group:
    name: str
    reason_contains: str  # a piece of the skip reason its tests give
    how: str


GROUPS = (
    Group("browser tests", "browser tests need Debian's", "apt-get install -y chromium"),
    Group(
        "PostgreSQL tests",
        "PENGADUAN_TEST_DATABASE_URL is not set",
        "PENGADUAN_TEST_DATABASE_URL=postgresql+psycopg://USER@HOST:5432/DB make test",
    ),
    Group(
        "PostgreSQL server tests",
        "PostgreSQL's server binaries are not installed",
        "apt-get install -y postgresql (its binaries under /usr/lib/postgresql)",
    ),
    Group("docker compose config", "compose plugin", "install the Docker CLI's compose plugin"),
)


def _reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    return longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)


def summary_line(reasons: list[str]) -> str | None:
    counts = Counter(
        group for reason in reasons for group in GROUPS if group.reason_contains in reason
    )
    if not counts:
        return None
    parts = [f"{group.name} ({n}): {group.how}" for group, n in counts.items()]
    return "Skipped, for want of a part on this machine: " + "; ".join(parts)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> Generator[None]:
    # Outermost wrapper: this runs after pytest's short test summary, before its closing line.
    result = yield
    line = summary_line([_reason(r) for r in terminalreporter.stats.get("skipped", [])])
    if line:
        terminalreporter.write_line(line, yellow=True, bold=True)
    return result
