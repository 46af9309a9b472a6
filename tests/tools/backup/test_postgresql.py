"""A PostgreSQL set restored over a database that moved on: the set's rows back, a newer
release's table gone, the database's own settings applied again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from shared.runtime.settings import Settings
from tools.backup import sets
from tools.harness.databases import PostgresDatabases, fresh_set
from tools.harness.redis_server import free_port


def run(url: str, *statements: str) -> list[tuple[object, ...]]:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            results = [connection.execute(text(statement)) for statement in statements]
            last = results[-1]
            return [tuple(row) for row in last] if last.returns_rows else []
    finally:
        engine.dispose()


def test_a_set_restores_over_a_database_that_moved_on(
    postgres_pool: PostgresDatabases | None, tmp_path: Path
) -> None:
    if postgres_pool is None:
        pytest.skip("PENGADUAN_TEST_DATABASE_URL is not set")
    urls = fresh_set(postgres_pool)
    settings = Settings(
        deployment={"data_dir": tmp_path / "var"},
        broker={"embedded_redis_port": free_port()},  # no Redis answers
        database={f"{service}_url": url for service, url in urls.items()},
    )
    intake = urls["intake"]
    run(intake, "CREATE TABLE kept (name text)", "INSERT INTO kept VALUES ('in the set')")
    backup = sets.create(settings, tmp_path / "backups", datetime(2026, 12, 7, tzinfo=UTC))

    run(intake, "INSERT INTO kept VALUES ('after the set')", "CREATE TABLE newer_release (x int)")
    run(intake, "ALTER DATABASE " + intake.rsplit("/", 1)[1] + " RESET jit")
    sets.restore(settings, backup)

    assert run(intake, "SELECT name FROM kept") == [("in the set",)]
    assert run(intake, "SELECT to_regclass('public.newer_release')") == [(None,)]
    assert run(intake, "SELECT count(*) FROM alembic_version") == [(1,)]
    setting = (
        "SELECT setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase"
        " WHERE d.datname = current_database()"
    )
    assert run(intake, setting) == [(["jit=off"],)]
