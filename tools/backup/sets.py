"""A backup set made and restored, in this order: Redis's snapshot first, then the databases,
then the attachments, then the embedded default's keys.

Redis first: a message consumed after its snapshot has its effect in the databases dumped
after it, or, when its consumer was dumped before the effect, no receipt in the snapshot, so its
producer's outbox row, published after the snapshot and not yet redriven in the dump, is sent
again by the redrive (docs/RELIABILITY.md); a receipt in the snapshot always stands for an
effect the dumps hold. That holds while the dumps end within ``PENGADUAN_OUTBOX_REDRIVE_SECONDS``
of the snapshot: a longer backup says so. The attachments after the databases: intake stores a
file before it commits the row naming it, so every row in the dump has its file in the copy
taken after it (docs/ATTACHMENTS.md).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from shared.runtime.settings import Settings
from shared.runtime.settings.project import SERVICES
from tools.backup import attachments, databases, manifest, redis_snapshot
from tools.backup.manifest import DatabasePart, Manifest

Say = Callable[[str], None]
# The embedded default's secrets under the data directory: the JWT secret also seals the
# complainants' contacts inside queued messages, so a snapshot of Redis needs it back.
KEY_FILES = ("jwt-secret", "webpush-vapid.pem")
STAMP = "%Y-%m-%dT%H%M%SZ"


class DeskRunning(RuntimeError):
    """The desk answers: a restore under it would mix two states."""


def embedded_redis_dir(settings: Settings) -> Path:
    return settings.deployment.data_dir / "redis"


def create(settings: Settings, into: Path, now: datetime, say: Say = print) -> Path:
    """A new set under ``into``, named by ``now`` (UTC); built aside and renamed into place once
    its manifest is written, so a set that is there is whole."""
    name = now.strftime(STAMP)
    final, work = into / name, into / f".{name}.partial"
    if final.exists():
        raise FileExistsError(f"{final} exists already")
    shutil.rmtree(work, ignore_errors=True)
    try:
        taken = _take(settings, work, now, say)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)  # no half set left behind
        raise
    work.rename(final)
    say(f"backup complete: {final} ({len(taken.files)} files)")
    return final


def _take(settings: Settings, work: Path, now: datetime, say: Say) -> Manifest:
    (work / "databases").mkdir(parents=True)
    started = time.monotonic()
    redis_path = _take_redis(settings, work, say)
    parts = []
    for service in SERVICES:
        url = settings.database_url(service)
        path = f"databases/{databases.file_name(service, url)}"
        say(f"database {service} ({databases.kind(url)}) -> {path}")
        databases.dump(url, work / path)
        parts.append(DatabasePart(service=service, kind=databases.kind(url), path=path))
    if redis_path and time.monotonic() - started > settings.outbox.redrive_seconds:
        say(
            "warning: the databases took longer than PENGADUAN_OUTBOX_REDRIVE_SECONDS after "
            "Redis's snapshot: a message in flight meanwhile may be missing from this set"
        )
    say(f"attachments ({settings.attachments.backend})")
    files = attachments.take(settings.attachments, work / "attachments")
    keys = []
    for key in KEY_FILES:
        if settings.embedded and (settings.deployment.data_dir / key).is_file():
            (work / "keys").mkdir(exist_ok=True)
            shutil.copy2(settings.deployment.data_dir / key, work / "keys" / key)
            keys.append(f"keys/{key}")
    taken = Manifest(taken_at=now, databases=parts, attachments=files, redis=redis_path, keys=keys)
    manifest.write(work, taken)
    return taken


def _take_redis(settings: Settings, work: Path, say: Say) -> str | None:
    path = f"redis/{redis_snapshot.SNAPSHOT}"
    (work / "redis").mkdir()
    if redis_snapshot.answers(settings.broker.url):
        say("redis -> redis/dump.rdb (redis-cli --rdb)")
        redis_snapshot.take(settings.broker.url, work / path)
        return path
    directory = embedded_redis_dir(settings)
    server = redis_snapshot.binary("redis-server")
    if settings.embedded and directory.is_dir() and server is not None:
        # make run is stopped: its Redis is started on its own files, for the snapshot only.
        say("redis (stopped: started on var/redis for the snapshot) -> redis/dump.rdb")
        with redis_snapshot.serving(server, directory, append_only=True) as client:
            port = client.connection_pool.connection_kwargs["port"]
            redis_snapshot.take(f"redis://127.0.0.1:{port}/0", work / path)
        return path
    say(f"redis: no answer at {settings.broker.url}; the set holds no queued messages")
    return None


def running(settings: Settings) -> list[str]:
    """What of the desk answers now."""
    return (
        [f"Redis answers at {settings.broker.url}"]
        if redis_snapshot.answers(settings.broker.url)
        else []
    )


def restore(
    settings: Settings,
    source: Path,
    *,
    force: bool = False,
    redis_dir: Path | None = None,
    redis_server: str | None = None,
    say: Say = print,
) -> Manifest:
    """Everything of the set back in place, once the whole set is checked and the desk is found
    stopped (``force`` goes on regardless; Redis's files are then left alone); nothing changes
    when either check fails."""
    taken = manifest.verified(source)
    problems = _mismatches(settings, taken)
    if problems:
        raise manifest.BrokenBackup(
            "\n".join([f"{source}: does not fit these settings:", *problems])
        )
    live = running(settings)
    if live and not force:
        raise DeskRunning("; ".join(live))
    for part in taken.databases:
        say(f"database {part.service} <- {part.path}")
        databases.restore(settings.database_url(part.service), source / part.path)
    count = attachments.put_back(
        settings.attachments, taken.attachments, source / taken.attachments.path
    )
    say(f"attachments <- {count} files")
    directory = redis_dir or (embedded_redis_dir(settings) if settings.embedded else None)
    _restore_redis(taken, source, live=bool(live), into=(directory, redis_server), say=say)
    for key in taken.keys:
        target = settings.deployment.data_dir / Path(key).name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / key, target)
        target.chmod(0o600)
    say(f"restore complete from {source} (taken {taken.taken_at.isoformat()})")
    return taken


def _mismatches(settings: Settings, taken: Manifest) -> list[str]:
    problems = []
    for part in taken.databases:
        now = databases.kind(settings.database_url(part.service))
        if now != part.kind:
            problems.append(
                f"  - {part.service}: the set holds {part.kind}, the settings name {now}"
            )
    if {part.service for part in taken.databases} != set(SERVICES):
        problems.append(f"  - the set's databases are not those of {', '.join(SERVICES)}")
    return problems


def _restore_redis(
    taken: Manifest,
    source: Path,
    *,
    live: bool,
    into: tuple[Path | None, str | None],
    say: Say,
) -> None:
    """The snapshot into Redis's data directory; its AOF written by ``server`` (the same Redis
    as the one that will start there), or left for that Redis to write (docs/OPERATIONS.md)."""
    directory, server = into
    if taken.redis is None:
        say("redis: the set holds no snapshot; left as it is")
        return
    if live or directory is None:
        why = "it is running" if live else "give --redis-dir, Redis's data directory"
        say(f"redis: not restored ({why}); the snapshot is {source / taken.redis}")
        return
    aside = redis_snapshot.put_back(source / taken.redis, directory, server)
    done = "its AOF written" if server else "as dump.rdb only: start it once with AOF off"
    say(
        f"redis <- {taken.redis} in {directory}, {done}"
        + (f"; old files in {aside}" if aside else "")
    )
