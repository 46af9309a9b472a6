"""Every service's migrations build exactly the tables its models define, on SQLite and (when
``PENGADUAN_TEST_DATABASE_URL`` is set) on PostgreSQL, and go down to nothing and up again."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, inspect, text

from shared.database.migrations import alembic_config, upgrade
from shared.database.shared_tables import MessagingBase
from shared.runtime.settings.project import SERVICES
from tools.harness.databases import PostgresDatabases


def target_metadata(service: str) -> list[MetaData]:
    """What the service's ``env.py`` hands ``run_env``: its models plus the messaging tables."""
    models = importlib.import_module(f"services.{service}.models")
    return [models.Base.metadata, MessagingBase.metadata]


def differences(url: str, service: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            # The options env.py migrates with; server defaults are not compared there either.
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, target_metadata(service)))
    finally:
        engine.dispose()


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres_pool: PostgresDatabases | None,
) -> Iterator[str]:
    """A database with no tables at all, not the pools' ready-migrated clones."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('migrations') / 'empty.db'}"
        return
    if postgres_pool is None:
        pytest.skip("PENGADUAN_TEST_DATABASE_URL is not set")
    # Named under the pool's prefix, so it is one of this run's pgd_* databases.
    name = f"{postgres_pool.prefix}_migrations_{uuid.uuid4().hex[:8]}"
    with postgres_pool.admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield postgres_pool.url_for(name)
    finally:
        with postgres_pool.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.mark.parametrize("service", SERVICES)
# The workflow's expression indexes are PostgreSQL's only (its search): alembic says it cannot
# compare them on SQLite, which does not reflect expression indexes; PostgreSQL compares them.
@pytest.mark.filterwarnings(
    "ignore:autogenerate skipping metadata-specified expression-based index:UserWarning"
)
def test_the_migrations_build_the_models_and_go_down_and_up(
    service: str, empty_database: str
) -> None:
    url = empty_database
    upgrade(service, url=url)
    assert differences(url, service) == []

    command.downgrade(alembic_config(service, url), "base")
    assert tables(url) <= {"alembic_version"}

    upgrade(service, url=url)
    assert differences(url, service) == []


def _case_statuses(url: str) -> dict[str, str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT tracking_code, status FROM cases"))
            return {row.tracking_code: row.status for row in rows}
    finally:
        engine.dispose()


def test_a_closed_case_becomes_answered_and_back(empty_database: str) -> None:
    """0010: the workflow's old final status "closed" is the SOP's "answered", both ways."""
    url = empty_database
    config = alembic_config("workflow", url)
    command.upgrade(config, "0009")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            for code, status in (("PGD-OLD-DONE", "closed"), ("PGD-OLD-WAIT", "verifying")):
                connection.execute(
                    text(
                        "INSERT INTO cases (id, tracking_code, subject, description, "
                        "reporter_name, channels, status, minutes_before_pause, filed_at, "
                        "version, event_count) VALUES (:id, :code, 's', 'd', 'n', '[]', "
                        ":status, 0, '2026-12-01 01:00:00', 1, 0)"
                    ),
                    {"id": str(uuid.uuid4()), "code": code, "status": status},
                )
    finally:
        engine.dispose()

    command.upgrade(config, "0010")
    assert _case_statuses(url) == {"PGD-OLD-DONE": "answered", "PGD-OLD-WAIT": "verifying"}
    command.downgrade(config, "0009")
    assert _case_statuses(url) == {"PGD-OLD-DONE": "closed", "PGD-OLD-WAIT": "verifying"}
