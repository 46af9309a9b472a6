"""A bad start is one message: ``make run``, ``pengaduan-staff`` and the migrations refuse
unusable settings before they start anything, naming each variable and how to fix it, with exit
status 2 and no traceback."""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from services.workflow.staff.accounts import seed_demo_users
from shared.database.engine import ServiceDatabase
from shared.runtime.production_checks import jwt_secret_problems
from shared.runtime.settings import Settings
from shared.runtime.settings.project import PROJECT_ROOT
from tools.harness.databases import PostgresDatabases

MAKE_RUN = [sys.executable, "-m", "tools.run_embedded"]  # what `make run` runs
MIGRATE = [sys.executable, "-m", "shared.database.migrations"]
STAFF = [str(Path(sys.executable).with_name("pengaduan-staff")), "list"]  # the console script
# Never connected to: every refusal here comes before any connection is made.
UNREACHABLE_REDIS = "redis://redis.invalid:6379/0"
BANNER = "Pengaduan DPMPTSP Kota Madiun:"


def environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    """This machine's environment without a ``PENGADUAN_*`` of its own, data under tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PENGADUAN_")}
    env["PENGADUAN_DATA_DIR"] = str(tmp_path / "var")
    return env | {f"PENGADUAN_{name}": value for name, value in settings.items()}


def run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def refusal(done: subprocess.CompletedProcess[str], tmp_path: Path) -> str:
    """The refusal on stderr, once it is certain nothing started: no banner, no process's
    output, no database migrated, no Redis, no file under the data dir."""
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout == ""
    assert not (tmp_path / "var").exists()
    return done.stderr


def test_make_run_outside_the_embedded_default_says_which_secret_to_set_and_starts_nothing(
    tmp_path: Path,
) -> None:
    stderr = refusal(run(MAKE_RUN, environment(tmp_path, REDIS_URL=UNREACHABLE_REDIS)), tmp_path)
    assert "outside the embedded default (PENGADUAN_REDIS_URL is set)" in stderr
    assert "PENGADUAN_JWT_SECRET is not set" in stderr
    assert 'python -c "import secrets; print(secrets.token_urlsafe(48))"' in stderr
    assert "no demo users" in stderr
    assert "pengaduan-staff create" in stderr


def test_the_secret_the_message_says_how_to_make_is_one_production_accepts(
    tmp_path: Path,
) -> None:
    stderr = run(MAKE_RUN, environment(tmp_path, REDIS_URL=UNREACHABLE_REDIS)).stderr
    recipe = re.search(r"made with: (python -c \"[^\"]+\")", stderr)
    assert recipe is not None, stderr
    argv = [sys.executable, *shlex.split(recipe.group(1))[1:]]
    secret = subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()
    assert jwt_secret_problems(Settings(auth={"jwt_secret": secret})) == []


ENGLISH_FIX = "set each variable named above to a valid value, or unset it to take its default"
INDONESIAN_FIX = "isi variabel di atas dengan nilai yang benar"


@pytest.mark.parametrize(
    ("argv", "fix"),
    [(MAKE_RUN, ENGLISH_FIX), (MIGRATE, ENGLISH_FIX), (STAFF, INDONESIAN_FIX)],
    ids=["make-run", "migrations", "pengaduan-staff"],
)
def test_a_malformed_value_is_one_line_naming_its_variable(
    tmp_path: Path, argv: list[str], fix: str
) -> None:
    stderr = refusal(run(argv, environment(tmp_path, INTAKE_PORT="abc")), tmp_path)
    [line] = [line for line in stderr.splitlines() if "PENGADUAN_INTAKE_PORT" in line]
    assert line.startswith("  - PENGADUAN_INTAKE_PORT: Input should be a valid integer")
    assert fix in stderr


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"OFFICE_HOURS": "{mon: 07:30-16:00}"}, "PENGADUAN_OFFICE_HOURS: not valid JSON"),
        (
            {"OFFICE_CLOSED_DATES": '["2025-13-01"]'},
            "PENGADUAN_OFFICE_CLOSED_DATES (0): Input should be a valid date",
        ),
        ({"MODE": "prod"}, "PENGADUAN_MODE: Input should be 'embedded' or 'production'"),
        ({"SECRETS_DIR": "/nowhere/secrets"}, "PENGADUAN_SECRETS_DIR=/nowhere/secrets is not"),
    ],
    ids=["json", "list-item", "choice", "secrets-dir"],
)
def test_make_run_names_each_kind_of_bad_value(
    tmp_path: Path, settings: dict[str, str], problem: str
) -> None:
    stderr = refusal(run(MAKE_RUN, environment(tmp_path, **settings)), tmp_path)
    assert f"  - {problem}" in stderr
    assert ENGLISH_FIX in stderr


def test_a_short_secret_is_named_without_its_value_with_how_to_make_one(tmp_path: Path) -> None:
    secret = "Kx81-short-but-random"
    stderr = refusal(run(MIGRATE, environment(tmp_path, JWT_SECRET=secret)), tmp_path)
    assert "PENGADUAN_JWT_SECRET: " in stderr
    assert "secrets.token_urlsafe(48)" in stderr
    assert secret not in stderr


def test_make_run_in_production_mode_names_every_problem_of_every_process_at_once(
    tmp_path: Path,
) -> None:
    env = environment(tmp_path, MODE="production", REDIS_URL=UNREACHABLE_REDIS)
    stderr = refusal(run(MAKE_RUN, env), tmp_path)
    assert stderr.startswith("make run refuses to start in production mode")
    for service in ("INTAKE", "WORKFLOW", "NOTIFIER"):
        assert f"PENGADUAN_{service}_DATABASE_URL is not set" in stderr
    assert "PENGADUAN_JWT_SECRET is not set" in stderr
    assert "secrets.token_urlsafe(48)" in stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_make_run_in_production_mode_refuses_demo_users_before_starting_a_process(
    tmp_path: Path, postgres_pool: PostgresDatabases | None, database_urls: dict[str, str]
) -> None:
    if postgres_pool is None:
        pytest.skip("PENGADUAN_TEST_DATABASE_URL is not set (production mode needs PostgreSQL)")
    workflow = ServiceDatabase("workflow", database_urls["workflow"])
    with workflow.transaction() as session:
        seed_demo_users(session)
    workflow.engine.dispose()
    env = environment(
        tmp_path,
        MODE="production",
        REDIS_URL=UNREACHABLE_REDIS,
        JWT_SECRET="Zq3v-" + os.urandom(24).hex(),
        **{f"{s.upper()}_DATABASE_URL": url for s, url in database_urls.items()},
        **{name: str(free_port()) for name in ("INTAKE_PORT", "WORKFLOW_PORT", "FLOWER_PORT")},
    )
    done = run(MAKE_RUN, env)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "demo users with the demo password exist" in done.stderr
    assert BANNER not in done.stdout  # the banner comes just before the processes start
    assert not list((tmp_path / "var").glob("*")), "a process wrote its files"
