"""Intake's app channel migration goes down and up again cleanly (models against migrations,
for every service, is tests/test_migrations.py)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect

from shared.database.migrations import alembic_config, upgrade

APP_CHANNEL_TABLES = {"inbox_messages", "push_subscriptions", "push_deliveries"}


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_the_app_channel_migration_goes_down_and_up(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    upgrade("intake", url=url)

    command.downgrade(alembic_config("intake", url), "0003")
    assert not APP_CHANNEL_TABLES & tables(url)
    command.upgrade(alembic_config("intake", url), "head")
    assert tables(url) >= APP_CHANNEL_TABLES
