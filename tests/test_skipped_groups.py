"""The closing line of a run names each group skipped for want of a part, and how to get it."""

from __future__ import annotations

from tests.support.skipped_groups import summary_line

BROWSER = "browser tests need Debian's 'chromium' package: apt-get install -y chromium"


def test_each_group_is_named_once_with_its_count_and_remedy() -> None:
    line = summary_line([BROWSER, BROWSER, "PENGADUAN_TEST_DATABASE_URL is not set"])
    assert line is not None
    assert "browser tests (2): apt-get install -y chromium" in line
    assert "PostgreSQL tests (1): PENGADUAN_TEST_DATABASE_URL=" in line


def test_no_line_when_nothing_was_skipped_for_want_of_a_part() -> None:
    assert summary_line([]) is None
    # A skip of the test's own choosing (schemathesis finding no invalid input) is no group.
    assert summary_line(["Impossible to generate negative test cases"]) is None
