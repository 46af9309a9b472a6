"""Intake's tables as the models define them are what its migrations build, and the app
channel's migration goes down and up again cleanly."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

import shared.dead_letters  # registers its table on MessagingBase
import shared.outbox  # noqa: F401 - registers the outbox tables on MessagingBase
from services.intake.models import Base
from shared.db import MessagingBase
from shared.migrations import alembic_config, upgrade

APP_CHANNEL_TABLES = {"inbox_messages", "push_subscriptions", "push_deliveries"}


def differences(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, [Base.metadata, MessagingBase.metadata]))
    finally:
        engine.dispose()


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_the_migrations_build_the_tables_the_models_define(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    upgrade("intake", url=url)
    assert differences(url) == []


def test_the_app_channel_migration_goes_down_and_up(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    upgrade("intake", url=url)

    command.downgrade(alembic_config("intake", url), "0003")
    assert not APP_CHANNEL_TABLES & tables(url)
    command.upgrade(alembic_config("intake", url), "head")
    assert tables(url) >= APP_CHANNEL_TABLES
