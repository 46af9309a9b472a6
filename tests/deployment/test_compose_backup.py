"""Compose's backup service, read without Docker: the same tool as make backup, on compose's
databases, MinIO and Redis, kept out of `up` and keeping its sets on a volume of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shared.runtime.settings.project import PROJECT_ROOT
from tests.deployment.conftest import argv, env

DOCKERFILE = (PROJECT_ROOT / "Dockerfile").read_text()


def image_data_dir() -> Path:
    [line] = [line for line in DOCKERFILE.splitlines() if "PENGADUAN_DATA_DIR=" in line]
    return Path(line.split("PENGADUAN_DATA_DIR=", 1)[1].split()[0])


def test_the_backup_service_runs_the_backup_tool_only_when_asked(
    services: dict[str, Any],
) -> None:
    backup = services["backup"]
    command = [*argv(backup["entrypoint"]), *argv(backup["command"])]
    assert command == ["python", "-m", "tools.backup", "create", "--prune"]
    assert (PROJECT_ROOT / "tools" / "backup" / "__main__.py").is_file()
    assert backup["profiles"] == ["ops"]  # `docker compose up` never starts it
    assert backup["restart"] == "no"


def test_the_backup_service_reads_what_the_services_write(services: dict[str, Any]) -> None:
    backup = env(services["backup"])
    for service in ("intake", "workflow", "notifier"):
        variable = f"PENGADUAN_{service.upper()}_DATABASE_URL"
        assert backup[variable] == env(services["migrate"])[variable]
    store = {k: v for k, v in env(services["intake-api"]).items() if "ATTACHMENTS" in k}
    assert store.items() <= backup.items()
    assert backup["PENGADUAN_REDIS_URL"] == env(services["intake-api"])["PENGADUAN_REDIS_URL"]
    for dependency in ("postgres", "minio"):
        assert services["backup"]["depends_on"][dependency]["condition"] == "service_healthy"


def test_sets_land_on_a_volume_where_the_tool_keeps_them(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    # The tool's default: backups/ beside the data directory.
    default = image_data_dir().parent / "backups"
    volumes = dict(volume.rsplit(":", 1)[::-1] for volume in services["backup"]["volumes"])
    assert volumes[str(default)] == "backup-data"
    assert "backup-data" in compose["volumes"]
    assert f"mkdir -p /app/var {default}" in DOCKERFILE  # owned by the image's user
    # Redis's volume, where a restore puts the snapshot (--redis-dir /redis).
    redis_volume = next(v for v in services["redis"]["volumes"] if v.endswith(":/data"))
    assert volumes["/redis"] == redis_volume.split(":")[0]


def test_the_image_has_the_postgresql_client_the_tool_runs() -> None:
    assert "postgresql-client" in DOCKERFILE
