"""A small embedded desk's data for the backup tool: SQLite files, attachments in the directory
store, the embedded default's keys, and no Redis answering on its port."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from shared.runtime.settings import Settings
from shared.runtime.settings.project import SERVICES
from tools.harness.redis_server import free_port


def rows(path: Path) -> list[tuple[str]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT name FROM kept ORDER BY name").fetchall()


def write_rows(path: Path, *names: str) -> None:
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("PRAGMA journal_mode=WAL")  # as the services keep them
        connection.execute("CREATE TABLE IF NOT EXISTS kept (name TEXT)")
        connection.execute("DELETE FROM kept")
        connection.executemany("INSERT INTO kept VALUES (?)", [(name,) for name in names])


@pytest.fixture
def embedded(tmp_path: Path) -> Settings:
    """Settings of an embedded desk under ``tmp_path/var`` whose Redis is stopped."""
    data = tmp_path / "var"
    settings = Settings(deployment={"data_dir": data}, broker={"embedded_redis_port": free_port()})
    data.mkdir()
    for service in SERVICES:
        write_rows(data / f"{service}.db", f"{service}-complaint")
    files = data / "attachments" / "originals"
    files.mkdir(parents=True)
    (files / "a1").write_bytes(b"%PDF-1.7 the complainant's letter")
    (data / "jwt-secret").write_text("the-embedded-secret")
    return settings
