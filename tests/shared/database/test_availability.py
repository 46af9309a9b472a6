"""Which database errors mean "away for now" (wait, answer 503) and which mean "this cannot
work" (a dead letter, a 4xx or a 500): each case made by a real server or a real SQLite file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from shared.database.availability import (
    DatabaseAway,
    database_unavailable,
    skipped_while_away,
    through_outages,
)
from tests.support.state import reset_process_state
from tools.harness.postgres_cluster import PostgresCluster, admit_connections, refuse_connections
from tools.harness.redis_server import free_port


@pytest.fixture
def scratch(own_postgres: PostgresCluster) -> Iterator[tuple[str, Engine]]:
    """A database of its own on the tests' own server, and an engine on it."""
    name = f"scratch_{free_port()}"
    url = own_postgres.create_database(name)
    engine = create_engine(url)
    yield name, engine
    engine.dispose()
    admit_connections(own_postgres.url(), name)
    drop = create_engine(own_postgres.url(), isolation_level="AUTOCOMMIT")
    with drop.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    drop.dispose()


def error_of(engine: Engine, sql: str = "SELECT 1") -> DBAPIError:
    with pytest.raises(DBAPIError) as caught, engine.connect() as conn:
        conn.execute(text(sql))
    return caught.value


def test_a_server_that_does_not_listen_is_away() -> None:
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/x")
    assert database_unavailable(error_of(engine))


def test_a_database_that_refuses_connections_or_ended_ours_is_away(
    own_postgres: PostgresCluster, scratch: tuple[str, Engine]
) -> None:
    name, engine = scratch
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        refuse_connections(own_postgres.url(), name)  # ends this connection too
        with pytest.raises(DBAPIError) as ended:
            conn.execute(text("SELECT 1"))
    assert database_unavailable(ended.value)
    assert database_unavailable(error_of(engine))  # "not currently accepting connections"


def test_too_many_connections_is_away(scratch: tuple[str, Engine]) -> None:
    name, engine = scratch
    role = f"limited_{name}"
    with engine.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 1'))
    limited = create_engine(engine.url.set(username=role))
    try:
        with limited.connect():
            crowded = create_engine(limited.url)
            assert database_unavailable(error_of(crowded))  # "too many connections for role"
            crowded.dispose()
    finally:
        limited.dispose()
        with engine.begin() as conn:
            conn.execute(text(f'DROP ROLE "{role}"'))


def test_a_locked_sqlite_file_is_away(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN EXCLUSIVE")
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.1})
    try:
        assert database_unavailable(error_of(engine, "SELECT * FROM t"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        engine.dispose()


def test_errors_no_wait_can_mend_are_not_away(scratch: tuple[str, Engine], tmp_path: Path) -> None:
    _, engine = scratch
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    assert not database_unavailable(error_of(engine, "INSERT INTO t VALUES (1)"))
    assert not database_unavailable(error_of(engine, "SELECT * FROM no_such_table"))
    sqlite = create_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    assert not database_unavailable(error_of(sqlite, "SELECT * FROM no_such_table"))
    sqlite.dispose()


@pytest.fixture
def patience(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PENGADUAN_DATABASE_OUTAGE_PATIENCE_SECONDS", "1")
    monkeypatch.setenv("PENGADUAN_DATABASE_OUTAGE_BACKOFF_MAX_SECONDS", "0.2")
    reset_process_state()
    yield
    reset_process_state()


def test_work_runs_again_until_the_database_is_back(
    own_postgres: PostgresCluster, scratch: tuple[str, Engine], patience: None
) -> None:
    name, engine = scratch
    refuse_connections(own_postgres.url(), name)
    tries = 0

    def work() -> int:
        nonlocal tries
        tries += 1
        if tries == 3:  # the database comes back before the third try
            admit_connections(own_postgres.url(), name)
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT 42")).scalar_one())

    assert through_outages(work, "test") == 42
    assert tries == 3


def test_past_the_patience_it_says_the_database_is_away(
    own_postgres: PostgresCluster, scratch: tuple[str, Engine], patience: None
) -> None:
    name, engine = scratch
    refuse_connections(own_postgres.url(), name)

    def work() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    with pytest.raises(DatabaseAway, match="database unavailable for 1 s"):
        through_outages(work, "test")


def test_an_error_no_wait_can_mend_is_raised_at_once(scratch: tuple[str, Engine]) -> None:
    _, engine = scratch
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER PRIMARY KEY)"))
    tries = 0

    def work() -> None:
        nonlocal tries
        tries += 1
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1), (1)"))

    with pytest.raises(IntegrityError):
        through_outages(work, "test")
    assert tries == 1


def test_a_sweep_that_finds_the_database_away_is_skipped_not_failed() -> None:
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/x")

    @skipped_while_away("test sweep")
    def sweep() -> str:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return "swept"

    assert sweep() == "skipped: database unavailable"
    engine.dispose()


def test_a_sweep_that_fails_otherwise_still_fails() -> None:
    @skipped_while_away("test sweep")
    def sweep() -> str:
        raise ValueError("a bug")

    with pytest.raises(ValueError, match="a bug"):
        sweep()
