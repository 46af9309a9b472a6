"""PostgreSQL settings a service's database carries itself, for every session however it connects.

JIT off: compiling a report's or a scrape's plan took 200-300 ms at 500,000 cases, more than the
statement ran (EXPLAIN ANALYZE in docs/BENCHMARKS.md); the services' statements are short OLTP
ones, for which PostgreSQL's own docs advise against it.

Kept on the database (``ALTER DATABASE ... SET``, in a migration of each service) rather than in
the connection's startup ``options``: PgBouncer, which docs/SCALING.md advises in front of
PostgreSQL, refuses a startup parameter it does not track, or drops it without a word when told
to ignore it, while a setting of the database reaches every session a pooler opens. PostgreSQL
keeps such settings per database, so a copy made by ``CREATE DATABASE ... TEMPLATE`` does not
inherit them: whoever clones a database applies them again (``tools.harness.databases``).
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

# Setting -> value, applied to each service's PostgreSQL database.
DATABASE_SETTINGS: dict[str, str] = {"jit": "off"}


def settings_statements(connection: Connection, database: str) -> list[str]:
    """``ALTER DATABASE`` statements giving ``database`` every setting of ``DATABASE_SETTINGS``."""
    quote = connection.dialect.identifier_preparer.quote
    return [
        f"ALTER DATABASE {quote(database)} SET {quote(name)} = '{value}'"
        for name, value in DATABASE_SETTINGS.items()
    ]


def apply_to(connection: Connection, database: str | None = None) -> None:
    """Give ``database`` (the connection's own by default) the settings; nothing on SQLite.

    Only the database's owner (or a superuser) may set them. A deployment whose migrating role is
    neither still migrates: the setting only saves time, so it is logged as a warning naming the
    statement an administrator can run, not raised."""
    if connection.dialect.name != "postgresql":
        return
    name = database or connection.execute(text("SELECT current_database()")).scalar_one()
    for statement in settings_statements(connection, name):
        try:
            with connection.begin_nested():
                connection.exec_driver_sql(statement)
        except DBAPIError as error:
            log.warning("database setting not applied (%s); an owner can run: %s", error, statement)


def reset_on(connection: Connection) -> None:
    """Take the settings off the connection's own database (a migration's downgrade)."""
    if connection.dialect.name != "postgresql":
        return
    name = connection.execute(text("SELECT current_database()")).scalar_one()
    quote = connection.dialect.identifier_preparer.quote
    for setting in DATABASE_SETTINGS:
        connection.exec_driver_sql(f"ALTER DATABASE {quote(name)} RESET {quote(setting)}")
