"""Alembic, one migration history per service (each owns its own database).

``upgrade("intake")`` brings intake's database to head; ``python -m shared.database.migrations``
does it for every service, which is what `make run` and the compose ``migrate`` service call.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData

from shared.runtime.preflight import settings_or_exit
from shared.runtime.production_checks import require_production_ready
from shared.runtime.settings import Settings, get_settings
from shared.runtime.settings.project import PROJECT_ROOT, SERVICES


def alembic_config(service: str, url: str) -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(PROJECT_ROOT / "services" / service / "migrations")
    )
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logger"] = False
    return config


def upgrade(service: str, settings: Settings | None = None, url: str | None = None) -> None:
    settings = settings or get_settings()
    url = url or settings.database_url(service)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(service, url), "head")


def run_env(target_metadata: list[MetaData]) -> None:
    """The body of every service's ``env.py``: online migrations against the configured URL."""
    from alembic import context  # noqa: PLC0415 - only importable while Alembic runs env.py
    from sqlalchemy import create_engine  # noqa: PLC0415

    url = context.config.get_main_option("sqlalchemy.url")
    assert url is not None  # noqa: S101 - set by alembic_config
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=url.startswith("sqlite"),
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description="Migrate Pengaduan databases to head")
    # Checked by hand, not with choices=: Python 3.11's argparse tests the empty list (or a
    # list default) against the choices as one value and refuses every call without arguments.
    parser.add_argument("services", nargs="*", help=f"default: all of {', '.join(SERVICES)}")
    named = parser.parse_args().services
    if unknown := sorted(set(named) - set(SERVICES)):
        parser.error(f"unknown service {', '.join(unknown)} (choose from {', '.join(SERVICES)})")
    services = named or SERVICES
    # Migrations touch the databases only: no broker, no tokens, no cookies to check.
    settings = settings_or_exit(
        "migrate",
        lambda settings: require_production_ready(
            "migrate", services=services, jwt=False, redis=False, cookies=False, settings=settings
        ),
    )
    for service in services:
        upgrade(service, settings)
        print(f"{service}: migrated to head")


if __name__ == "__main__":
    main()
