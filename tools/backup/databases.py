"""Each service's database into a backup set and back: SQLite through sqlite3's online backup
API (a consistent copy while the desk writes, WAL or not), PostgreSQL through ``pg_dump
--format=custom``, and back through ``pg_restore`` into ``psql`` in one transaction, the
server's own tools."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path
from typing import Literal

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, make_url

from shared.database import server_settings

Kind = Literal["sqlite", "postgresql"]
# Debian keeps each major version's binaries here; the newest one reads every older server.
DEBIAN_POSTGRES_BINARIES = Path("/usr/lib/postgresql")


class DatabaseToolMissing(RuntimeError):
    """``pg_dump`` or ``pg_restore`` is on neither PATH nor Debian's own directories."""


def kind(url: str) -> Kind:
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"cannot back up a {backend} database")
    return "sqlite" if backend == "sqlite" else "postgresql"


def file_name(service: str, url: str) -> str:
    return f"{service}.sqlite" if kind(url) == "sqlite" else f"{service}.dump"


def postgres_tool(name: str) -> str:
    """The newest ``name`` of Debian's versioned directories, else the one on PATH."""
    versions = sorted(
        DEBIAN_POSTGRES_BINARIES.glob(f"*/bin/{name}"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    found = str(versions[-1]) if versions else shutil.which(name)
    if found is None:
        raise DatabaseToolMissing(f"{name} not found: install the PostgreSQL client")
    return found


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database:
        raise ValueError(f"{url}: an in-memory SQLite database has nothing to back up")
    return Path(database)


def libpq_environment(url: str) -> dict[str, str]:
    """The connection as libpq's variables: the password out of every process list."""
    parsed: URL = make_url(url)
    given = {
        "PGHOST": parsed.host,
        "PGPORT": str(parsed.port) if parsed.port else None,
        "PGUSER": parsed.username,
        "PGPASSWORD": parsed.password if isinstance(parsed.password, str) else None,
        "PGDATABASE": parsed.database,
    }
    return {**os.environ, **{name: value for name, value in given.items() if value}}


def dump(url: str, target: Path) -> None:
    if kind(url) == "sqlite":
        _copy_sqlite(sqlite_path(url), target)
        return
    command = [postgres_tool("pg_dump"), "--format=custom", "--file", str(target)]
    _run(command, url)


def restore(url: str, source: Path) -> None:
    if kind(url) == "sqlite":
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        _copy_sqlite(source, path)
        return
    # The dump as SQL, whole before anything changes, then run by psql in one transaction behind
    # the emptying of the schema: a restore that fails leaves the database as it was, and one
    # that succeeds holds the set's tables only (none of a newer release's, which pg_restore's
    # own --clean would not know to drop).
    with tempfile.TemporaryDirectory(prefix="pengaduan-restore-") as scratch:
        script = Path(scratch) / "restore.sql"
        _run([postgres_tool("pg_restore"), "--no-owner", f"--file={script}", str(source)], url)
        emptied = ["-c", "DROP SCHEMA IF EXISTS public CASCADE", "-c", "CREATE SCHEMA public"]
        psql = [postgres_tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"]
        _run([*psql, *emptied, "-f", str(script)], url)
    # Settings of the database itself (jit off) are no part of a dump of its objects.
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            server_settings.apply_to(connection)
    finally:
        engine.dispose()


def _copy_sqlite(source: Path, target: Path) -> None:
    if not source.is_file():
        raise FileNotFoundError(f"{source}: no such SQLite database")
    with closing(sqlite3.connect(source)) as reading, closing(sqlite3.connect(target)) as writing:
        reading.backup(writing)
        # One plain file in the set (the services turn WAL on again when they connect).
        writing.execute("PRAGMA journal_mode=DELETE")


def _run(command: list[str], url: str) -> None:
    done = subprocess.run(command, env=libpq_environment(url), capture_output=True, check=False)
    if done.returncode != 0:
        error = done.stderr.decode(errors="replace").strip()
        raise RuntimeError(f"{Path(command[0]).name} failed ({done.returncode}): {error}")
