"""docker-compose.yml's processes, checked without Docker or starting anything: every process
runs a module that exists, on the queues the Celery app routes to; the APIs, Flower and beat as
they must run."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from shared.messaging.celery_app import ALL_QUEUES
from shared.process import beat_app
from shared.runtime.settings import Settings
from shared.runtime.settings.project import PROJECT_ROOT, SERVICES
from tests.deployment.conftest import (
    API_PORTS,
    COMPOSE_FILE,
    ROLE_WORKERS,
    SERVICE_QUEUES,
    WORKER_SERVICES,
    argv,
    env,
    module_file,
    option,
    worker_commands,
)


def test_compose_has_every_service_of_the_deployment(services: dict[str, Any]) -> None:
    assert set(services) == {
        "postgres",
        "redis",
        "minio",
        "migrate",
        "intake-api",
        "workflow-api",
        *WORKER_SERVICES,
        "beat",
        "flower",
        "backup",
    }


@pytest.mark.parametrize("service", SERVICES)
def test_each_services_workers_run_its_worker_module_on_the_queues_routed_to_it(
    services: dict[str, Any], service: str
) -> None:
    commands = worker_commands(services)
    mine = [name for name, owner in WORKER_SERVICES.items() if owner == service]
    for name in mine:
        module, _ = commands[name]
        assert module == f"services.{service}.worker"
        assert module_file(module).is_file(), f"{module_file(module)} is missing"
    assert set().union(*(commands[name][1] for name in mine)) == SERVICE_QUEUES[service]


@pytest.mark.parametrize("worker", ROLE_WORKERS)
def test_each_sop_role_has_a_worker_service_of_its_own(
    services: dict[str, Any], worker: str
) -> None:
    assert worker_commands(services)[worker][1] == {ROLE_WORKERS[worker]}


@pytest.mark.parametrize("worker", WORKER_SERVICES)
def test_each_worker_healthcheck_pings_that_containers_own_worker(
    services: dict[str, Any], worker: str
) -> None:
    compose_service = services[worker]
    node = WORKER_SERVICES[worker]
    assert option(argv(compose_service["command"]), "-n") == f"{node}@%h"
    kind, script = compose_service["healthcheck"]["test"]
    assert kind == "CMD-SHELL"
    # Celery's %h is the hostname, which Docker also puts in $HOSTNAME ($$ escapes compose's $).
    assert argv(script)[:4] == ["celery", "-A", "shared.process.flower_app", "inspect"]
    assert option(argv(script), "--destination") == f"{node}@$$HOSTNAME"


def test_every_queue_is_consumed_by_exactly_one_worker_service(services: dict[str, Any]) -> None:
    consumers: dict[str, list[str]] = {queue: [] for queue in ALL_QUEUES}
    for name, (_, queues) in worker_commands(services).items():
        for queue in queues:
            consumers.setdefault(queue, []).append(name)
    assert {queue: names for queue, names in consumers.items() if len(names) != 1} == {}


@pytest.mark.parametrize("service", list(API_PORTS))
def test_each_api_runs_its_uvicorn_factory_on_its_published_port(
    services: dict[str, Any], service: str
) -> None:
    compose_service = services[f"{service}-api"]
    args = argv(compose_service["command"])
    assert args[0] == "uvicorn"
    assert "--factory" in args
    target = next(arg for arg in args if arg.endswith(":create_app"))
    assert target == f"services.{service}.api.app:create_app"
    assert module_file(target.split(":")[0]).is_file()
    port = API_PORTS[service]
    assert option(args, "--port") == str(port)
    assert f"{port}:{port}" in compose_service["ports"]


@pytest.mark.parametrize("service", list(API_PORTS))
def test_each_api_healthcheck_asks_readyz_on_its_port(
    services: dict[str, Any], service: str
) -> None:
    test = services[f"{service}-api"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    # urlopen raises on the 503 of /readyz: unhealthy while the database or Redis is down.
    assert f"urlopen('http://127.0.0.1:{API_PORTS[service]}/readyz', timeout=3)" in test[3]


def test_flower_watches_the_shared_app_that_declares_every_queue(
    services: dict[str, Any],
) -> None:
    args = argv(services["flower"]["command"])
    assert option(args, "-A") == "shared.process.flower_app"
    assert "flower" in args
    assert "5555:5555" in services["flower"]["ports"]


def test_flower_requires_a_login_with_no_default(services: dict[str, Any]) -> None:
    # Flower can revoke tasks and shut workers down: compose refuses to start without a login.
    login = env(services["flower"])["FLOWER_BASIC_AUTH"]
    assert re.fullmatch(r"\$\{PENGADUAN_FLOWER_BASIC_AUTH:\?.*\}", login)
    # Only the healthcheck answers without it (tests/shared/runtime/test_flower.py starts
    # Flower to see).
    test = services["flower"]["healthcheck"]["test"]
    assert "urlopen('http://127.0.0.1:5555/healthcheck', timeout=3)" in test[-1]


def test_flower_keeps_its_state_on_a_named_volume_of_its_own(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    flower = services["flower"]
    args = argv(flower["command"])
    assert option(args, "--persistent") == "True"
    # Saved every so often as well as at shutdown: a SIGKILL loses minutes, not everything.
    assert int(option(args, "--state_save_interval")) > 0
    assert int(option(args, "--purge_offline_workers")) > 0
    db = Path(option(args, "--db"))
    mounts = {target: source for source, target, *_ in (v.split(":") for v in flower["volumes"])}
    volume = mounts.get(str(db.parent))
    assert volume in compose["volumes"]
    # The image's data directory, owned by the app's user, as beat's schedule is.
    assert str(db.parent) == "/app/var"
    # Not beat's volume: each one-of-a-kind service writes its own files.
    assert all(not v.startswith(f"{volume}:") for v in services["beat"]["volumes"])


def beat_commands(services: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    return {
        name: argv(service["command"])
        for name, service in services.items()
        if "beat" in argv(service.get("command", []))
    }


def test_exactly_one_beat_sends_the_schedule_of_the_shared_app(
    services: dict[str, Any],
) -> None:
    [(name, args)] = beat_commands(services).items()
    assert name == "beat"
    assert args[:5] == ["celery", "-A", "shared.process.beat_app", "beat", "-s"]
    assert module_file("shared.process.beat_app").is_file()
    assert services["beat"]["deploy"]["replicas"] == 1
    text = COMPOSE_FILE.read_text()
    assert "never scale it" in text[: text.index("\n  beat:")].rsplit("\n\n", 1)[-1]
    assert env(services["beat"])["PENGADUAN_REDIS_URL"] == "redis://redis:6379/0"
    assert services["beat"]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_beats_schedule_file_is_on_a_named_volume_and_its_healthcheck_reads_it(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    beat = services["beat"]
    schedule = Path(option(argv(beat["command"]), "-s"))
    mounts = {target: source for source, target, *_ in (v.split(":") for v in beat["volumes"])}
    assert mounts.get(str(schedule.parent)) in compose["volumes"]
    # The image's data directory: owned by the app's user, so a new volume there is writable.
    assert str(schedule.parent) == "/app/var"
    assert "PENGADUAN_DATA_DIR=/app/var" in (PROJECT_ROOT / "Dockerfile").read_text()
    test = beat["healthcheck"]["test"]
    assert test == ["CMD", "python", "-m", "shared.process.beat_app", str(schedule)]


def test_beats_healthcheck_fails_once_the_schedule_file_goes_quiet(tmp_path: Path) -> None:
    settings = Settings(broker={"redis_url": "redis://broker:6379/0"}, sla={"sweep_seconds": 30})
    schedule = tmp_path / "celerybeat-schedule"
    assert not beat_app.schedule_is_fresh(schedule, settings)  # beat never wrote it
    (tmp_path / "celerybeat-schedule.db").write_bytes(b"")  # dbm may add a suffix
    written = schedule.with_suffix(".db").stat().st_mtime
    assert beat_app.schedule_is_fresh(schedule, settings, now=written + 89)
    assert not beat_app.schedule_is_fresh(schedule, settings, now=written + 91)  # 3 sweeps
