"""The attachment store's backends for the tests: a directory, and an S3-compatible server
running as a process of its own (moto's standalone server)."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shared.attachments import AttachmentStore, open_store
from shared.attachments.s3_store import S3Store
from shared.runtime.settings import Settings
from tools.harness.processes import ServiceProcess
from tools.harness.redis_server import free_port

S3_KEY, S3_SECRET = "test-access-key", "test-secret-key"


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An S3-compatible HTTP server: this stands in for MinIO, which compose runs, because no
    MinIO server installs on this machine. moto's standalone server speaks the same S3 API over
    HTTP, as a process of its own, so the backend goes through boto3's real HTTP client."""
    port = free_port()
    server = ServiceProcess(
        "moto-s3",
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        dict(os.environ),
        tmp_path_factory.mktemp("moto"),
    ).start()
    url = f"http://127.0.0.1:{port}"
    try:
        server.wait_until_answers(f"{url}/moto-api/", timeout=60)
        yield url
    finally:
        server.stop()


def s3_settings(endpoint: str, bucket: str) -> Settings:
    return Settings(
        attachments={
            "backend": "s3",
            "s3_endpoint_url": endpoint,
            "s3_bucket": bucket,
            "s3_access_key": S3_KEY,
            "s3_secret_key": S3_SECRET,
        }
    )


@pytest.fixture(scope="session")
def s3_client(s3_endpoint: str) -> Any:
    """One boto3 client for the session's tests (making one takes half a second)."""
    return S3Store.from_settings(s3_settings(s3_endpoint, "unused").attachments).client


@pytest.fixture(params=["directory", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> AttachmentStore:
    """Each backend in turn, empty: a fresh directory, or a bucket of the test's own that does
    not exist yet (the store creates it at first use)."""
    if request.param == "directory":
        settings = Settings(attachments={"backend": "directory", "directory": tmp_path / "files"})
        return open_store(settings.attachments)
    return S3Store(request.getfixturevalue("s3_client"), f"test-{uuid.uuid4().hex}")
