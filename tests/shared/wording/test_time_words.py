"""One date and time format for people (issue 21, item 8): Indonesian month names and WIB."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from shared.wording.time_words import WIB, day_words, local_day, time_words


def test_a_moment_reads_as_the_office_writes_it() -> None:
    assert time_words(datetime(2026, 12, 6, 15, 32, tzinfo=UTC)) == "6 Desember 2026, 22.32 WIB"
    assert time_words(datetime(2026, 1, 5, 2, 5, tzinfo=UTC)) == "5 Januari 2026, 09.05 WIB"


def test_a_utc_evening_is_the_next_wib_day() -> None:
    late = datetime(2026, 11, 30, 17, 20, tzinfo=UTC)  # 00.20 on 1 December in Madiun
    assert time_words(late) == "1 Desember 2026, 00.20 WIB"
    assert local_day(late) == "1 Desember 2026"
    new_year = datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    assert time_words(new_year) == "1 Januari 2027, 06.00 WIB"


def test_a_naive_moment_is_utc_and_the_office_zone_names_itself() -> None:
    assert time_words(datetime(2026, 12, 6, 15, 32)) == "6 Desember 2026, 22.32 WIB"  # noqa: DTZ001
    jakarta = ZoneInfo("Asia/Jakarta")
    assert time_words(datetime(2026, 12, 6, 15, 32, tzinfo=UTC), jakarta) == (
        "6 Desember 2026, 22.32 WIB"
    )
    assert time_words(datetime(2026, 12, 6, 22, 32, tzinfo=WIB)) == "6 Desember 2026, 22.32 WIB"


def test_a_day_alone() -> None:
    assert day_words(date(2026, 8, 17)) == "17 Agustus 2026"
