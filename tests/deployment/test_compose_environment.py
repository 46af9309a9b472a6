"""docker-compose.yml's variables and start order: every ``PENGADUAN_*`` variable a setting,
.env.example in step with what compose reads, migrations first, a database per service, Redis
kept across restarts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from shared.runtime.settings import Settings
from shared.runtime.settings.project import PROJECT_ROOT, SERVICES
from shared.runtime.settings.sources import variables
from tests.deployment.conftest import COMPOSE_FILE, WORKER_SERVICES, argv, env, option


def test_every_pengaduan_variable_in_compose_is_a_setting(services: dict[str, Any]) -> None:
    known = {setting.name for setting in variables(Settings)}
    used = {v for service in services.values() for v in env(service) if v.startswith("PENGADUAN_")}
    assert used - known == set()


def compose_variables() -> dict[str, bool]:
    """Every ``${VAR...}`` docker-compose.yml reads, and whether it is required (``:?``)."""
    found: dict[str, bool] = {}
    for name, required in re.findall(r"\$\{(\w+)(:?\?)?", COMPOSE_FILE.read_text()):
        found[name] = found.get(name, False) or bool(required)
    return found


def env_example() -> dict[str, tuple[str, str]]:
    """Each variable of .env.example: its value and the comment block just above it."""
    entries: dict[str, tuple[str, str]] = {}
    comment: list[str] = []
    for line in (PROJECT_ROOT / ".env.example").read_text().splitlines():
        if line.startswith("#"):
            comment.append(line)
        elif "=" in line:
            name, value = line.split("=", 1)
            entries[name] = (value, "\n".join(comment))
            comment = []
        else:
            comment = []
    return entries


def test_env_example_lists_exactly_the_variables_compose_reads() -> None:
    assert sorted(env_example()) == sorted(compose_variables())


def test_env_example_marks_the_required_variables_and_leaves_them_empty() -> None:
    entries = env_example()
    for name, required in compose_variables().items():
        value, comment = entries[name]
        assert ("REQUIRED" in comment) == required, name
        assert comment, f"{name} has no comment"
        if required:
            # Empty: compose refuses to start until a real value is filled in.
            assert value == "", name


def docker_compose(*args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE_FILE), *args],
        check=False,
        capture_output=True,
        text=True,
        **kw,
    )


def compose_plugin() -> bool:
    return shutil.which("docker") is not None and docker_compose("version").returncode == 0


@pytest.mark.skipif(
    not compose_plugin(),
    reason="the Docker CLI's compose plugin is not installed (Debian 12 does not package it)",
)
def test_docker_compose_config_accepts_the_file_with_every_required_value_set(
    tmp_path: Path,
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "".join(
            f"{name}={value or 'set-for-the-check'}\n" for name, (value, _) in env_example().items()
        )
    )
    checked = docker_compose("--env-file", str(env_file), "config", "--quiet")
    assert checked.returncode == 0, checked.stderr
    # And without them, compose refuses to start.
    refused = docker_compose(
        "--env-file", "/dev/null", "config", "--quiet", env={"PATH": os.environ["PATH"]}
    )
    assert refused.returncode != 0


def test_migrations_run_once_postgres_is_healthy(services: dict[str, Any]) -> None:
    migrate = services["migrate"]
    assert argv(migrate["command"]) == ["python", "-m", "shared.database.migrations"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert migrate["restart"] == "no"


@pytest.mark.parametrize("name", ["intake-api", "workflow-api", *WORKER_SERVICES])
def test_apis_and_workers_start_only_after_migrations_succeeded_and_redis_is_healthy(
    services: dict[str, Any], name: str
) -> None:
    depends_on = services[name]["depends_on"]
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert depends_on["redis"]["condition"] == "service_healthy"


def test_dependencies_wait_on_real_healthchecks(services: dict[str, Any]) -> None:
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    assert services["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_gets_its_own_postgres_database(
    services: dict[str, Any], service: str
) -> None:
    variable = f"PENGADUAN_{service.upper()}_DATABASE_URL"
    workers = [name for name, owner in WORKER_SERVICES.items() if owner == service]
    for name in [*workers, "migrate", "backup"]:
        url = env(services[name])[variable]
        assert url.startswith("postgresql+psycopg://")
        assert url.endswith(f"@postgres:5432/{service}")
    init_sql = (PROJECT_ROOT / "deploy" / "postgres" / "init.sql").read_text()
    assert re.search(rf"CREATE DATABASE {service};", init_sql)
    mounted = services["postgres"]["volumes"]
    assert any(
        v.startswith("./deploy/postgres/init.sql:/docker-entrypoint-initdb.d/") for v in mounted
    )


@pytest.mark.parametrize("name", ["intake-api", "workflow-api", *WORKER_SERVICES])
def test_application_services_use_redis_and_a_required_jwt_secret(
    services: dict[str, Any], name: str
) -> None:
    variables = env(services[name])
    assert variables["PENGADUAN_REDIS_URL"] == "redis://redis:6379/0"
    # No default: a deployment without its own secret must refuse to start.
    assert re.fullmatch(r"\$\{PENGADUAN_JWT_SECRET:\?.*\}", variables["PENGADUAN_JWT_SECRET"])
    # Only the notifier sends: the mail and SMS credentials reach no other service.
    channel_settings = {v for v in variables if v.startswith(("PENGADUAN_SMTP_", "PENGADUAN_SMS_"))}
    if name == "notifier-worker":
        assert re.fullmatch(r"\$\{PENGADUAN_SMTP_HOST:\?.*\}", variables["PENGADUAN_SMTP_HOST"])
        assert {"PENGADUAN_SMTP_PASSWORD", "PENGADUAN_SMS_GATEWAY_TOKEN"} <= channel_settings
    else:
        assert channel_settings == set()


def test_redis_keeps_its_queues_across_restarts(services: dict[str, Any]) -> None:
    redis = services["redis"]
    assert option(argv(redis["command"]), "--appendonly") == "yes"
    assert any(volume.endswith(":/data") for volume in redis["volumes"])


def test_every_long_running_service_restarts_after_a_crash(services: dict[str, Any]) -> None:
    one_shot = {"migrate", "backup"}
    policies = {name: s.get("restart") for name, s in services.items() if name not in one_shot}
    assert {
        name for name, policy in policies.items() if policy not in ("always", "unless-stopped")
    } == set()
