"""``make run``'s process list (tools/run_embedded), a pure function of the settings: the worker
modules and queues compose uses, a Redis and a beat of its own, ports and logins as configured."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

from shared.messaging.celery_app import ALL_QUEUES
from shared.runtime.settings import Settings
from tests.deployment.conftest import argv, celery_worker, module_file, option, worker_commands
from tools import run_embedded


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
    """One workflow worker serves every role's queue in `make run` (one machine, light on memory:
    two pool children for the steps, one for intake's and the notifier's few messages); compose
    gives each role's queue a service of its own to scale. The same modules, the same queues,
    each consumed once."""
    procs = run_embedded.processes(embedded_settings(tmp_path), python="/venv/bin/python")
    local = {name: found for name, args in procs.items() if (found := celery_worker(args))}
    assert queues_by_module(local) == queues_by_module(worker_commands(services))
    assert sorted(q for _, queues in local.values() for q in queues) == sorted(ALL_QUEUES)
    for name in local:
        args = procs[name]
        assert args[:3] == ["/venv/bin/python", "-m", "celery"]
        # prefork: a killed pool child's task goes back to its queue (acks_late, rejected on
        # worker lost), as in compose.
        assert (option(args, "-P"), option(args, "--loglevel")) == ("prefork", "INFO")
        assert option(args, "-c") == str(run_embedded.WORKER_CONCURRENCY[name.split("-")[0]])


def test_the_runner_make_run_becomes_starts_every_process_as_listed(tmp_path: Path) -> None:
    procs = run_embedded.processes(embedded_settings(tmp_path), python="/venv/bin/python")
    runner = run_embedded.procfile_argv(json.dumps(procs), python="/venv/bin/python")
    assert runner[:3] == ["/venv/bin/python", "-m", "tools.procfile"]
    assert module_file("tools.procfile").is_file()
    assert json.loads(runner[3]) == procs


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
    assert option(procs["flower"], "-A") == "shared.process.flower_app"
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
