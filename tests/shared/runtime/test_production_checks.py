"""Production mode: each process refuses to start with an unsafe setting, naming it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from services.workflow.models import StaffUser
from services.workflow.staff.accounts import demo_user_problems, seed_demo_users
from services.workflow.staff.auth import hash_password
from shared.database.engine import ServiceDatabase
from shared.runtime.production_checks import ProductionConfigError, require_production_ready
from shared.runtime.settings import Settings, load_settings
from shared.runtime.settings.project import PROJECT_ROOT
from tests.support.state import reset_process_state
from tools.harness.databases import PostgresDatabases
from tools.harness.processes import worker

# Never connected to: the refusals happen before any connection is made.
UNREACHABLE_DB = "postgresql+psycopg://pengaduan:pw@db.invalid:5432/{}"
UNREACHABLE_REDIS = "redis://redis.invalid:6379/0"


def production_env(**overrides: str | None) -> dict[str, str]:
    """A sound production environment, changed by ``overrides`` (None: the variable unset)."""
    env = {
        "MODE": "production",
        "JWT_SECRET": secrets.token_urlsafe(48),
        "REDIS_URL": UNREACHABLE_REDIS,
        **{f"{s}_DATABASE_URL": UNREACHABLE_DB.format(s.lower()) for s in ("INTAKE", "WORKFLOW")},
        "NOTIFIER_DATABASE_URL": UNREACHABLE_DB.format("notifier"),
    }
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return {f"PENGADUAN_{name}": value for name, value in env.items()}


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    """Apply an environment to this process: nothing of the machine's PENGADUAN_* left."""
    for key in list(os.environ):
        if key.startswith("PENGADUAN_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("PENGADUAN_DATA_DIR", str(tmp_path / "var"))

    def apply(env: dict[str, str]) -> None:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        reset_process_state()

    yield apply
    reset_process_state()


ONE_PROBLEM = [
    ({"JWT_SECRET": None}, "PENGADUAN_JWT_SECRET is not set"),
    (
        {"JWT_SECRET": "changeme-changeme-changeme-changeme"},
        "PENGADUAN_JWT_SECRET is a placeholder",
    ),
    ({"JWT_SECRET": "x" * 40}, "PENGADUAN_JWT_SECRET is a placeholder"),
    # The secret tools/harness/environment.py gives every test's processes.
    (
        {"JWT_SECRET": "test-secret-for-signing-staff-tokens-test_x0"},
        "PENGADUAN_JWT_SECRET is a placeholder",
    ),
    ({"INTAKE_DATABASE_URL": None}, "PENGADUAN_INTAKE_DATABASE_URL is not set"),
    ({"INTAKE_DATABASE_URL": "sqlite:///var/intake.db"}, "PENGADUAN_INTAKE_DATABASE_URL is SQLite"),
    ({"REDIS_URL": None, "SECURE_COOKIES": "true"}, "PENGADUAN_REDIS_URL is not set"),
    ({"SECURE_COOKIES": "false"}, "PENGADUAN_SECURE_COOKIES is off"),
]


@pytest.mark.parametrize(("overrides", "problem"), ONE_PROBLEM)
def test_the_intake_api_is_not_created_with_one_unsafe_setting(
    environment: Any, overrides: dict[str, str | None], problem: str
) -> None:
    from services.intake.api.app import create_app  # noqa: PLC0415 - after the environment is set

    environment(production_env(**overrides))
    with pytest.raises(ProductionConfigError) as refused:
        create_app()
    assert len(refused.value.problems) == 1
    assert problem in refused.value.problems[0]
    assert "PENGADUAN_MODE=production" in str(refused.value)


def test_a_short_jwt_secret_is_refused_by_the_settings_themselves(environment: Any) -> None:
    from services.intake.api.app import create_app  # noqa: PLC0415

    environment(production_env(JWT_SECRET="short-but-random-Q8x"))
    with pytest.raises(ValidationError, match="jwt_secret"):
        create_app()


def test_every_problem_is_named_at_once_and_no_secret_is_shown(environment: Any) -> None:
    from services.workflow.api.app import create_app  # noqa: PLC0415

    secret = "changeme" * 5
    environment(
        production_env(JWT_SECRET=secret, WORKFLOW_DATABASE_URL="sqlite:///w.db", REDIS_URL=None)
    )
    with pytest.raises(ProductionConfigError) as refused:
        create_app()
    message = str(refused.value)
    for name in ("JWT_SECRET", "WORKFLOW_DATABASE_URL", "REDIS_URL", "SECURE_COOKIES"):
        assert f"PENGADUAN_{name}" in message
    assert secret not in message
    assert message.startswith("workflow-api refuses to start")


def test_the_intake_api_starts_with_sound_production_settings(environment: Any) -> None:
    from services.intake.api.app import create_app  # noqa: PLC0415

    # No connection is made by create_app: the unreachable URLs are not reached.
    environment(production_env())
    assert create_app().title


def test_the_embedded_default_passes_the_checks(environment: Any) -> None:
    environment({})
    settings = Settings()
    assert settings.deployment.mode == "embedded"
    require_production_ready("intake-api", services=("intake",), settings=settings)


def test_a_secret_is_read_from_a_secrets_file(
    environment: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from services.intake.api.app import create_app  # noqa: PLC0415

    secret = secrets.token_urlsafe(48)
    (tmp_path / "run-secrets").mkdir()
    (tmp_path / "run-secrets" / "PENGADUAN_JWT_SECRET").write_text(secret + "\n")
    environment(
        {**production_env(JWT_SECRET=None), "PENGADUAN_SECRETS_DIR": str(tmp_path / "run-secrets")}
    )
    assert load_settings().auth.jwt_secret is not None
    assert load_settings().auth.jwt_secret.get_secret_value() == secret  # type: ignore[union-attr]
    assert create_app().title
    # The environment wins over the file.
    monkeypatch.setenv("PENGADUAN_JWT_SECRET", "from-the-environment-" + secret)
    assert load_settings().auth.jwt_secret.get_secret_value().startswith("from-the-environment-")  # type: ignore[union-attr]


def test_a_secrets_dir_that_does_not_exist_is_an_error(environment: Any, tmp_path: Path) -> None:
    environment({"PENGADUAN_SECRETS_DIR": str(tmp_path / "nowhere")})
    with pytest.raises(RuntimeError, match="PENGADUAN_SECRETS_DIR"):
        load_settings()


def test_the_settings_never_print_a_database_password() -> None:
    settings = Settings(
        database={"intake_url": "postgresql+psycopg://pengaduan:hunter2-pw@postgres:5432/intake"},
        broker={"redis_url": "redis://:redis-pw@redis:6379/0"},
        auth={"jwt_secret": secrets.token_urlsafe(48)},
    )
    for shown in (repr(settings), str(settings), f"{settings!r}"):
        assert "hunter2-pw" not in shown
        assert "redis-pw" not in shown
        assert settings.auth.jwt_secret is not None
        assert settings.auth.jwt_secret.get_secret_value() not in shown
    assert "pengaduan:***@postgres:5432/intake" in repr(settings)
    # The value itself is untouched.
    assert settings.database.intake_url is not None
    assert "hunter2-pw" in settings.database.intake_url


def test_demo_users_in_the_workflow_database_are_found(database_urls: dict[str, str]) -> None:
    db = ServiceDatabase("workflow", database_urls["workflow"])
    try:
        assert demo_user_problems(db) == []
        with db.transaction() as session:
            seed_demo_users(session)
        problems = demo_user_problems(db)
        assert len(problems) == 1
        assert "admin" in problems[0]
        assert "kasi" in problems[0]
        # Every demo password changed: the accounts may stay.
        with db.transaction() as session:
            for user in session.query(StaffUser):
                user.password_hash = hash_password(secrets.token_urlsafe(16))
        assert demo_user_problems(db) == []
    finally:
        db.engine.dispose()


def postgres_production_env(
    postgres_pool: PostgresDatabases | None, database_urls: dict[str, str], broker_url: str
) -> dict[str, str]:
    if postgres_pool is None:
        pytest.skip("PENGADUAN_TEST_DATABASE_URL is not set (a sound production start needs it)")
    return production_env(
        REDIS_URL=broker_url,
        **{f"{s.upper()}_DATABASE_URL": url for s, url in database_urls.items()},
    )


def test_the_workflow_api_starts_with_sound_production_settings(
    environment: Any,
    postgres_pool: PostgresDatabases | None,
    database_urls: dict[str, str],
    broker_url: str,
) -> None:
    from services.workflow.api.app import create_app  # noqa: PLC0415

    environment(postgres_production_env(postgres_pool, database_urls, broker_url))
    assert create_app().title


def test_the_workflow_api_refuses_to_start_with_demo_users(
    environment: Any,
    postgres_pool: PostgresDatabases | None,
    database_urls: dict[str, str],
    broker_url: str,
) -> None:
    from services.workflow.api.app import create_app  # noqa: PLC0415
    from services.workflow.database import get_db  # noqa: PLC0415

    environment(postgres_production_env(postgres_pool, database_urls, broker_url))
    with get_db().transaction() as session:
        seed_demo_users(session)
    with pytest.raises(ProductionConfigError, match="demo users"):
        create_app()


def subprocess_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PENGADUAN_")}
    return {**env, "PENGADUAN_DATA_DIR": str(tmp_path / "var"), **production_env(**overrides)}


def test_a_celery_worker_exits_naming_the_problem(tmp_path: Path, broker_url: str) -> None:
    env = subprocess_env(
        tmp_path, REDIS_URL=broker_url, WORKFLOW_DATABASE_URL=f"sqlite:///{tmp_path / 'w.db'}"
    )
    process = worker("workflow", env, tmp_path).start()
    assert process.process is not None
    assert process.process.wait(timeout=120) != 0
    assert "PENGADUAN_WORKFLOW_DATABASE_URL is SQLite" in process.output()
    assert not (tmp_path / "w.db").exists()


@pytest.mark.parametrize(
    ("argv", "overrides", "problem"),
    [
        (["-m", "shared.process.beat_app", "schedule"], {"REDIS_URL": None}, "PENGADUAN_REDIS_URL"),
        (
            ["-m", "shared.database.migrations"],
            {"NOTIFIER_DATABASE_URL": "sqlite:///n.db"},
            "PENGADUAN_NOTIFIER_DATABASE_URL is SQLite",
        ),
    ],
)
def test_beat_and_the_migrations_exit_naming_the_problem(
    tmp_path: Path, argv: list[str], overrides: dict[str, str | None], problem: str
) -> None:
    done = subprocess.run(
        [sys.executable, *argv],
        env=subprocess_env(tmp_path, **overrides),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert problem in done.stderr
    assert "refuses to start in production mode" in done.stderr


def test_compose_runs_every_application_service_in_production_mode() -> None:
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    for name, service in compose["services"].items():
        if name in ("postgres", "redis", "minio", "flower"):
            continue
        assert service["environment"]["PENGADUAN_MODE"] == "production", name
