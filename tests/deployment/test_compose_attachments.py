"""docker-compose.yml's attachment store: a MinIO service (pinned, its data on a volume, a real
healthcheck), and intake and the workflow pointed at the same bucket with the same credentials,
which MinIO's own login is made of; the notifier never gets them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from shared.runtime.production_checks import attachment_store_problems
from shared.runtime.settings import Settings
from tests.deployment.conftest import WORKER_SERVICES, env

# Intake writes attachments, the workflow reads them (its API and the consumer on its workers).
FILE_SERVICES = [
    "intake-api",
    "workflow-api",
    *(name for name, owner in WORKER_SERVICES.items() if owner in {"intake", "workflow"}),
]
DEFAULT = re.compile(r"^\$\{(\w+)(?::-([^}]*)|:\?[^}]*)\}$")


def resolved(value: str) -> str:
    """A compose value as compose makes it with nothing set: a ``${VAR:-default}`` its default,
    a required ``${VAR:?...}`` a stand-in value."""
    found = DEFAULT.match(value)
    if found is None:
        return value
    return found.group(2) if found.group(2) is not None else f"set-{found.group(1).lower()}"


def attachment_env(service: dict[str, Any]) -> dict[str, str]:
    return {k: v for k, v in env(service).items() if k.startswith("PENGADUAN_ATTACHMENTS_")}


def test_minio_is_pinned_keeps_its_data_on_a_volume_and_is_checked_for_real(
    services: dict[str, Any], compose: dict[str, Any]
) -> None:
    minio = services["minio"]
    image, tag = minio["image"].split(":")
    assert image == "minio/minio"
    assert tag.startswith("RELEASE.") and tag != "latest"
    assert minio["command"] == ["server", "/data"]
    [volume] = minio["volumes"]
    name, mount = volume.split(":")
    assert mount == "/data" and name in compose["volumes"]
    assert minio["healthcheck"]["test"] == ["CMD", "mc", "ready", "local"]
    assert minio["restart"] == "unless-stopped"
    assert "ports" not in minio  # only the services reach it


@pytest.mark.parametrize("name", FILE_SERVICES)
def test_intake_and_the_workflow_keep_attachments_in_minio(
    services: dict[str, Any], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = services[name]
    for variable, value in attachment_env(service).items():
        monkeypatch.setenv(variable, resolved(value))  # an empty one counts as unset
    settings = Settings()
    store = settings.attachments
    assert attachment_store_problems(settings) == []
    assert store.backend == "s3"
    assert store.s3_endpoint_url == "http://minio:9000"
    assert store.s3_bucket == "pengaduan-attachments"
    assert store.s3_secret_key is not None
    assert service["depends_on"]["minio"]["condition"] == "service_healthy"


def test_every_service_reads_the_same_store_with_minios_own_login(
    services: dict[str, Any],
) -> None:
    seen = {name: attachment_env(services[name]) for name in FILE_SERVICES}
    assert len({tuple(sorted(values.items())) for values in seen.values()}) == 1
    shared = next(iter(seen.values()))
    minio = env(services["minio"])
    assert minio["MINIO_ROOT_USER"] == shared["PENGADUAN_ATTACHMENTS_S3_ACCESS_KEY"]
    assert minio["MINIO_ROOT_PASSWORD"] == shared["PENGADUAN_ATTACHMENTS_S3_SECRET_KEY"]
    # No default secret: compose refuses to start without one.
    assert ":?" in shared["PENGADUAN_ATTACHMENTS_S3_SECRET_KEY"]


def test_the_notifier_never_gets_the_attachment_store(services: dict[str, Any]) -> None:
    assert attachment_env(services["notifier-worker"]) == {}
    assert "minio" not in services["notifier-worker"]["depends_on"]
