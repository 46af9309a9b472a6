"""The environment a test's processes run with, and its Redis db, built in one place for the
per-test fixtures (tests/conftest.py) and the per-module contract run alike."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis


def service_environment(
    data_dir: Path, broker_url: str, database_urls: dict[str, str], **settings: str
) -> dict[str, str]:
    """This machine's environment without any ``PENGADUAN_*`` of its own, plus the test's.

    Every process of one system shares ``data_dir``, so their attachment store is one directory
    (``data_dir/attachments``, the ``directory`` backend's default): intake writes there and the
    workflow reads there, and no two tests share one."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PENGADUAN_")}
    env.update(
        {
            "PENGADUAN_DATA_DIR": str(data_dir),
            "PENGADUAN_REDIS_URL": broker_url,
            **{
                f"PENGADUAN_{name.upper()}_DATABASE_URL": url for name, url in database_urls.items()
            },
            "PENGADUAN_JWT_SECRET": "test-secret-for-signing-staff-tokens-" + data_dir.parent.name,
            "PENGADUAN_OUTBOX_POLL_SECONDS": "0.2",
            **{f"PENGADUAN_{name.upper()}": value for name, value in settings.items()},
        }
    )
    return env


# A SIGKILLed worker's message back in seconds, not the production half-minute.
FAST_RECOVERY = {"broker_visibility_timeout": "6", "broker_restore_interval": "1"}


def desk_environment(
    tmp_path: Path,
    broker_url: str,
    database_urls: dict[str, str],
    smtp_port: int,
    **settings: str,
) -> dict[str, str]:
    """A test's ``service_environment``: its data under ``tmp_path / "var"``, mail to the test's
    SMTP server on loopback, and ``settings`` (``FAST_RECOVERY`` for most)."""
    return service_environment(
        tmp_path / "var",
        broker_url,
        database_urls,
        smtp_host="127.0.0.1",
        smtp_port=str(smtp_port),
        **settings,
    )


@contextmanager
def emptied_redis_db(url: str) -> Iterator[str]:
    """The test's Redis db, flushed before and after: a shared server keeps nothing of ours."""
    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()
