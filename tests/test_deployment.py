"""The deployment files and ``make run``'s process list, checked without Docker or starting
anything: that every process runs a module that exists, on the queues the Celery app routes to,
in the order the data needs (migrations first)."""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
import shutil
import socket
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from shared.messaging.celery_app import ALL_QUEUES, INTAKE_QUEUE, NOTIFIER_QUEUE, ROLE_QUEUES
from shared.runtime import beat_app
from shared.runtime.settings import Settings
from shared.runtime.settings.project import PROJECT_ROOT, SERVICES
from shared.runtime.settings.sources import variables
from tools import run_embedded

COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"

# What shared.messaging.celery_app routes to each service's tasks: its worker must consume
# exactly these.
SERVICE_QUEUES: dict[str, set[str]] = {
    "intake": {INTAKE_QUEUE},
    "workflow": set(ROLE_QUEUES),
    "notifier": {NOTIFIER_QUEUE},
}
API_PORTS = {"intake": 8001, "workflow": 8002}

# Compose's worker services: intake's, one per SOP role's queue, the notifier's; each the service
# whose worker module it runs.
ROLE_WORKERS = {f"{queue.replace('_', '-')}-worker": queue for queue in ROLE_QUEUES}
WORKER_SERVICES: dict[str, str] = {
    "intake-worker": "intake",
    **dict.fromkeys(ROLE_WORKERS, "workflow"),
    "notifier-worker": "notifier",
}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def argv(command: str | list[str]) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else [str(a) for a in command]


def option(args: list[str], name: str) -> str:
    """The value of ``name`` in ``args``, written as ``name value`` or ``name=value``."""
    for index, arg in enumerate(args):
        if arg == name:
            return args[index + 1]
        if arg.startswith(f"{name}="):
            return arg.split("=", 1)[1]
    raise AssertionError(f"{name} not in {shlex.join(args)}")


def module_file(dotted: str) -> Path:
    return PROJECT_ROOT.joinpath(*dotted.split(".")).with_suffix(".py")


def celery_worker(args: list[str]) -> tuple[str, set[str]] | None:
    """The app module and queues of a ``celery ... worker`` command; None for anything else."""
    if "celery" not in " ".join(args) or "worker" not in args:
        return None
    return option(args, "-A"), set(option(args, "-Q").split(","))


def worker_commands(services: dict[str, dict[str, Any]]) -> dict[str, tuple[str, set[str]]]:
    workers = {}
    for name, service in services.items():
        found = celery_worker(argv(service.get("command", [])))
        if found is not None:
            workers[name] = found
    return workers


def env(service: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in (service.get("environment") or {}).items()}


# docker-compose.yml


def test_compose_has_every_service_of_the_deployment(services: dict[str, Any]) -> None:
    assert set(services) == {
        "postgres",
        "redis",
        "migrate",
        "intake-api",
        "workflow-api",
        *WORKER_SERVICES,
        "beat",
        "flower",
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
    assert argv(script)[:4] == ["celery", "-A", "shared.runtime.flower_app", "inspect"]
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
    assert option(args, "-A") == "shared.runtime.flower_app"
    assert "flower" in args
    assert "5555:5555" in services["flower"]["ports"]


def test_flower_requires_a_login_with_no_default(services: dict[str, Any]) -> None:
    # Flower can revoke tasks and shut workers down: compose refuses to start without a login.
    login = env(services["flower"])["FLOWER_BASIC_AUTH"]
    assert re.fullmatch(r"\$\{PENGADUAN_FLOWER_BASIC_AUTH:\?.*\}", login)
    # Only the healthcheck answers without it (tests/shared/test_flower.py starts Flower to see).
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
    assert args[:5] == ["celery", "-A", "shared.runtime.beat_app", "beat", "-s"]
    assert module_file("shared.runtime.beat_app").is_file()
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
    assert test == ["CMD", "python", "-m", "shared.runtime.beat_app", str(schedule)]


def test_beats_healthcheck_fails_once_the_schedule_file_goes_quiet(tmp_path: Path) -> None:
    settings = Settings(broker={"redis_url": "redis://broker:6379/0"}, sla={"sweep_seconds": 30})
    schedule = tmp_path / "celerybeat-schedule"
    assert not beat_app.schedule_is_fresh(schedule, settings)  # beat never wrote it
    (tmp_path / "celerybeat-schedule.db").write_bytes(b"")  # dbm may add a suffix
    written = schedule.with_suffix(".db").stat().st_mtime
    assert beat_app.schedule_is_fresh(schedule, settings, now=written + 89)
    assert not beat_app.schedule_is_fresh(schedule, settings, now=written + 91)  # 3 sweeps


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
    for name in [*workers, "migrate"]:
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
    policies = {name: s.get("restart") for name, s in services.items() if name != "migrate"}
    assert {
        name for name, policy in policies.items() if policy not in ("always", "unless-stopped")
    } == set()


# Dockerfile and .dockerignore (no Docker engine here: read as text)

Instruction = tuple[str, str]


def dockerfile_stages() -> list[list[Instruction]]:
    """Each stage's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = (PROJECT_ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    stages: list[list[Instruction]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, arguments = line.partition(" ")
        if keyword.upper() == "FROM":
            stages.append([])
        stages[-1].append((keyword.upper(), arguments.strip()))
    return stages


def copy_sources(arguments: str) -> tuple[list[str], list[str]]:
    """The flags and sources of a COPY (its last word is the destination)."""
    words = shlex.split(arguments)
    flags = [w for w in words if w.startswith("--")]
    return flags, [w for w in words if not w.startswith("--")][:-1]


def is_dependency_install(keyword: str, arguments: str) -> bool:
    return keyword == "RUN" and "tomllib" in arguments and "pip install" in arguments


def test_every_stage_of_the_image_is_python_311_slim() -> None:
    bases = [args for stage in dockerfile_stages() for kw, args in stage if kw == "FROM"]
    assert bases
    assert all(re.fullmatch(r"python:3\.11-slim(\s+AS\s+\w+)?", b, re.I) for b in bases), bases


def test_the_final_stage_runs_as_a_non_root_user() -> None:
    users = [args for kw, args in dockerfile_stages()[-1] if kw == "USER"]
    assert users
    assert users[-1].split(":")[0] not in ("root", "0")


def test_dependencies_install_from_pyproject_alone_before_any_source_is_copied() -> None:
    """A source edit must not invalidate the dependency layer: until they are installed, the
    stage has seen pyproject.toml and nothing else of the project."""
    stages = dockerfile_stages()
    [stage] = [s for s in stages if any(is_dependency_install(*i) for i in s)]
    assert stage is stages[-1], "dependencies belong in the image that runs"
    install = next(n for n, i in enumerate(stage) if is_dependency_install(*i))
    assert "['project']['dependencies']" in stage[install][1]
    copies = [
        (n, copy_sources(args)) for n, (kw, args) in enumerate(stage) if kw in {"COPY", "ADD"}
    ]
    assert copies
    first, (flags, sources) = copies[0]
    assert (flags, sources) == ([], ["pyproject.toml"])
    assert first < install
    assert [n for n, _ in copies[1:] if n < install] == []


def test_the_project_itself_installs_without_its_dependencies() -> None:
    project_installs = [
        args
        for stage in dockerfile_stages()
        for kw, args in stage
        if kw == "RUN" and re.search(r"pip (install|wheel)", args) and "tomllib" not in args
    ]
    assert project_installs
    assert all("--no-deps" in args for args in project_installs), project_installs
    final_runs = [args for kw, args in dockerfile_stages()[-1] if kw == "RUN"]
    assert any("pip install --no-cache-dir --no-deps" in args for args in final_runs)


def dockerignore_patterns() -> list[str]:
    lines = (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def ignored(path: str) -> bool:
    """Docker's reading, near enough: the last pattern that matches the path or a directory
    above it decides; ``!`` takes a path back in."""
    parts = path.split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    verdict = False
    for line in dockerignore_patterns():
        keep = line.startswith("!")
        pattern = line.removeprefix("!").strip("/")
        if pattern.startswith("**/"):
            hit = any(fnmatch.fnmatch(c.rsplit("/", 1)[-1], pattern[3:]) for c in candidates)
        else:
            hit = any(fnmatch.fnmatch(c, pattern) for c in candidates)
        if hit:
            verdict = not keep
    return verdict


@pytest.mark.parametrize(
    "path",
    [
        ".venv/bin/python",
        "var/intake.sqlite3",
        ".git/HEAD",
        ".env",
        "tests/conftest.py",
        "shared/__pycache__/settings.cpython-311.pyc",
        ".mypy_cache/3.11/x.json",
    ],
)
def test_the_build_context_leaves_out_local_state_and_secrets(path: str) -> None:
    assert ignored(path)


def test_the_build_context_keeps_everything_the_dockerfile_copies() -> None:
    sources = [
        source
        for stage in dockerfile_stages()
        for kw, args in stage
        if kw in {"COPY", "ADD"}
        for flags, found in [copy_sources(args)]
        if not any(flag.startswith("--from") for flag in flags)
        for source in found
    ]
    assert {"pyproject.toml", "README.md", "shared", "services", "tools"} <= set(sources)
    for source in sources:
        assert (PROJECT_ROOT / source).exists(), source
        assert not ignored(source), source
    assert not ignored("shared/runtime/settings/__init__.py")
    assert not ignored("services/notifier/templates")


# Makefile and CI


def make_recipe(target: str) -> str:
    text = (PROJECT_ROOT / "Makefile").read_text()
    match = re.search(rf"^{target}:[^\n]*\n((?:\t[^\n]*\n)+)", text, re.MULTILINE)
    assert match, f"Makefile has no {target} target with a recipe"
    return match.group(1)


def test_make_run_starts_the_embedded_runner() -> None:
    assert "-m tools.run_embedded" in make_recipe("run")


def test_make_test_runs_pytest() -> None:
    assert "-m pytest" in make_recipe("test")


def test_ci_runs_make_test_against_the_machines_postgres_and_redis() -> None:
    script = (PROJECT_ROOT / ".ci" / "run").read_text()
    assert "set -euo pipefail" in script
    assert "PENGADUAN_TEST_DATABASE_URL=postgresql+psycopg://" in script
    assert "PENGADUAN_TEST_REDIS_URL=redis://" in script
    assert "make test" in script.splitlines()
    # Debian's chromium, installed when missing, so CI never skips the browser tests.
    assert "apt-get install -y -qq chromium" in script


def test_ci_runs_the_fast_part_again_under_four_moved_clocks() -> None:
    script = (PROJECT_ROOT / ".ci" / "run").read_text()
    stamps = re.findall(r'"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d)"', script)
    office = [datetime.fromisoformat(s).astimezone(ZoneInfo("Asia/Jakarta")) for s in stamps]
    assert any(m.weekday() == 6 and m.hour >= 22 for m in office), "a Sunday night"
    assert any((m.month, m.day) == (8, 17) for m in office), "17 August, a national holiday"
    assert any((m.month, m.day, m.hour, m.minute) == (12, 31, 23, 59) for m in office)
    assert "date -u -d '+1 year'" in script  # a year from the day CI runs
    assert 'PENGADUAN_TEST_CLOCK="${shifted_dates[i]}"' in script
    assert "make test ARGS='-m \"not journey\" -q'" in script
    header = 'echo "=== the fast part of the suite with the clock at ${shifted_dates[i]} ==="'
    assert header in script
    assert 'exit "${failed}"' in script  # a failed run fails CI


# tools/run_embedded: the process list is a pure function of the settings


def embedded_settings(tmp_path: Path, **groups: Any) -> Settings:
    defaults = {"broker": {"redis_url": None}, "deployment": {"data_dir": tmp_path / "var"}}
    return Settings(**(defaults | groups))


def test_embedded_default_runs_its_own_redis_with_an_append_only_file_under_var(
    tmp_path: Path,
) -> None:
    settings = embedded_settings(tmp_path, broker={"embedded_redis_port": 6390})
    redis = run_embedded.processes(settings, python="py", redis_binary="/bin/redis")["redis"]
    assert redis[0] == "/bin/redis"
    assert option(redis, "--port") == "6390"
    assert option(redis, "--bind") == "127.0.0.1"
    assert option(redis, "--dir") == str(tmp_path / "var" / "redis")
    assert option(redis, "--appendonly") == "yes"


def test_external_redis_is_used_as_it_is_and_not_started(tmp_path: Path) -> None:
    settings = Settings(
        broker={"redis_url": "redis://broker.internal:6379/0"}, deployment={"data_dir": tmp_path}
    )
    procs = run_embedded.processes(settings, python="py")
    assert set(procs) == {
        "intake-api",
        "workflow-api",
        "intake-worker",
        "workflow-worker",
        "notifier-worker",
        "beat",
        "flower",
    }
    assert "PENGADUAN_EMBEDDED_REDIS_PORT" not in run_embedded.listening_ports(settings)


def test_embedded_default_runs_redis_both_apis_three_workers_beat_and_flower(
    tmp_path: Path,
) -> None:
    procs = run_embedded.processes(embedded_settings(tmp_path), python="py")
    assert list(procs) == [
        "redis",
        "intake-api",
        "workflow-api",
        "intake-worker",
        "workflow-worker",
        "notifier-worker",
        "beat",
        "flower",
    ]


def test_make_run_starts_one_beat_like_compose_with_its_schedule_under_var(
    tmp_path: Path, services: dict[str, Any]
) -> None:
    procs = run_embedded.processes(embedded_settings(tmp_path), python="/venv/bin/python")
    beats = {name: args for name, args in procs.items() if "beat" in args}
    assert list(beats) == ["beat"]
    args = beats["beat"]
    assert args[:3] == ["/venv/bin/python", "-m", "celery"]
    assert option(args, "-A") == option(argv(services["beat"]["command"]), "-A")
    assert option(args, "-s") == str(tmp_path / "var" / "celerybeat-schedule")


def queues_by_module(workers: dict[str, tuple[str, set[str]]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for module, queues in workers.values():
        found.setdefault(module, []).extend(queues)
    return {module: sorted(queues) for module, queues in found.items()}


def test_make_run_serves_every_queue_with_the_worker_modules_compose_uses(
    tmp_path: Path, services: dict[str, Any]
) -> None:
    """One workflow worker serves every role's queue in `make run` (one machine, light on memory);
    compose gives each role's queue a service of its own to scale. The same modules, the same
    queues, each consumed once."""
    procs = run_embedded.processes(embedded_settings(tmp_path), python="/venv/bin/python")
    local = {name: found for name, args in procs.items() if (found := celery_worker(args))}
    assert queues_by_module(local) == queues_by_module(worker_commands(services))
    assert sorted(q for _, queues in local.values() for q in queues) == sorted(ALL_QUEUES)
    for name in local:
        args = procs[name]
        assert args[:3] == ["/venv/bin/python", "-m", "celery"]
        assert (option(args, "-c"), option(args, "-P"), option(args, "--loglevel")) == (
            "2",
            "prefork",
            "INFO",
        )


def test_make_run_serves_apis_and_flower_on_the_configured_ports(tmp_path: Path) -> None:
    settings = embedded_settings(
        tmp_path, web={"intake_port": 9101, "workflow_port": 9102, "flower_port": 9155}
    )
    procs = run_embedded.processes(settings, python="py")
    for service, port in (("intake", "9101"), ("workflow", "9102")):
        args = procs[f"{service}-api"]
        assert option(args, "--factory") == f"services.{service}.api.app:create_app"
        assert module_file(f"services.{service}.api.app").is_file()
        assert option(args, "--port") == port
    assert option(procs["flower"], "-A") == "shared.runtime.flower_app"
    assert option(procs["flower"], "--port") == "9155"


def test_make_runs_flower_on_loopback_without_a_login_and_keeps_its_state_under_var(
    tmp_path: Path, services: dict[str, Any]
) -> None:
    flower = run_embedded.processes(embedded_settings(tmp_path), python="py")["flower"]
    # Loopback only: no one else reaches it, so no login to set up (compose's asks for one).
    assert option(flower, "--address") == "127.0.0.1"
    assert not [arg for arg in flower if arg.startswith(("--basic_auth", "--basic-auth"))]
    assert option(flower, "--persistent") == "True"
    assert option(flower, "--db") == str(tmp_path / "var" / "flower.db")
    compose_args = argv(services["flower"]["command"])
    assert option(flower, "--state_save_interval") == option(compose_args, "--state_save_interval")


def test_a_taken_port_is_named_with_the_setting_that_moves_it(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        settings = embedded_settings(tmp_path, web={"workflow_port": port})
        taken = [p for p in run_embedded.taken_ports(settings) if f"port {port} " in p]
    assert len(taken) == 1
    assert "PENGADUAN_WORKFLOW_PORT" in taken[0]
    assert not [p for p in run_embedded.taken_ports(settings) if f"port {port} " in p]


def test_banner_shows_demo_logins_only_in_the_embedded_default(tmp_path: Path) -> None:
    embedded = run_embedded.banner(embedded_settings(tmp_path))
    external = run_embedded.banner(
        Settings(broker={"redis_url": "redis://broker:6379/0"}, deployment={"data_dir": tmp_path})
    )
    assert "admin, kasi, koordinator, tim_koordinasi" in embedded
    assert "demo12345" in embedded
    assert "demo12345" not in external
    assert "http://127.0.0.1:8001/docs" in external
    # The pages people use, first.
    assert "http://127.0.0.1:8001/lacak" in embedded
    assert "http://127.0.0.1:8002/console" in embedded
    assert str(tmp_path / "var" / "mail") in embedded
