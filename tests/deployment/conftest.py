"""What the deployment tests share: docker-compose.yml read once per module, the queues each
service's workers must consume, and readers of the commands written in it."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.messaging.celery_app import INTAKE_QUEUE, NOTIFIER_QUEUE, ROLE_QUEUES
from shared.runtime.settings.project import PROJECT_ROOT

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
