"""Each service's PostgreSQL database turns JIT off for every session that opens on it, with no
startup option on the connection (PgBouncer refuses those: shared/database/server_settings.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, event, text

from shared.database.engine import make_engine
from shared.database.migrations import alembic_config, upgrade
from shared.runtime.settings.project import SERVICES
from tools.harness.databases import PostgresDatabases

# Each service's revision before the one that sets the database's settings (0023, 0026, 0012).
BEFORE_THE_SETTINGS = {"intake": "0022", "workflow": "0025", "notifier": "0011"}


@pytest.fixture
def pool(postgres_pool: PostgresDatabases | None) -> PostgresDatabases:
    if postgres_pool is None:
        pytest.skip("PENGADUAN_TEST_DATABASE_URL is not set: the setting is PostgreSQL's")
    return postgres_pool


def jit_of(url: str, **connect_args: str) -> str:
    engine = create_engine(url, connect_args=connect_args)
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SHOW jit")).scalar_one())
    finally:
        engine.dispose()


@pytest.fixture
def empty_database(pool: PostgresDatabases) -> Iterator[str]:
    name = f"{pool.prefix}_settings_{uuid.uuid4().hex[:8]}"
    with pool.admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    pool.created.append(name)
    yield pool.url_for(name)


@pytest.mark.parametrize("service", SERVICES)
def test_migrated_database_turns_jit_off_and_downgrade_gives_it_back(
    service: str, empty_database: str
) -> None:
    # The server's default is on: the migration, not the server, is what turns it off.
    assert jit_of(empty_database) == "on"
    upgrade(service, url=empty_database)
    assert jit_of(empty_database) == "off"
    command.downgrade(alembic_config(service, empty_database), BEFORE_THE_SETTINGS[service])
    assert jit_of(empty_database) == "on"


def test_a_copy_of_a_migrated_template_has_the_setting_too(pool: PostgresDatabases) -> None:
    # PostgreSQL keeps a database's settings per database: CREATE DATABASE ... TEMPLATE drops
    # them, and the harness applies them to every copy it makes.
    assert jit_of(pool.fresh("workflow")) == "off"


def test_the_services_engine_sends_no_startup_options(pool: PostgresDatabases) -> None:
    url = pool.fresh("intake")
    engine = make_engine(url)
    sent: dict[str, Any] = {}
    event.listen(engine, "do_connect", lambda _d, _r, _a, params: sent.update(params))
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW jit")).scalar_one() == "off"
        assert sent["connect_timeout"]  # what was sent was read
        assert "options" not in sent
    finally:
        engine.dispose()
