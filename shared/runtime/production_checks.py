"""Production mode: what a process refuses to start with.

With ``PENGADUAN_MODE=production`` every entry point (both APIs in ``create_app``, every Celery
worker in ``shared.process.worker_setup.wire_worker``, beat, ``python -m
shared.database.migrations``) calls ``require_production_ready`` before it serves anything. Each
concern is one function returning its problems as sentences; the entry point names the concerns
that apply to it (beat has no database, migrations no broker), and one error lists every problem
found, never a secret's value. A concern only a service can judge (the workflow's demo users)
is handed in by that service as an ``extra_checks`` function: this module imports no service.
In the embedded mode (``make run``) nothing is checked."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from shared.runtime.settings import Settings, UnusableSettings, get_settings

# A service's own concern: its problems as sentences, asked only once the settings are sound.
ProductionCheck = Callable[[], list[str]]

MIN_SECRET_LENGTH = 32

# Values people paste from examples and tests. Lower-cased; a secret containing one of them is
# refused (a real secret is random: see "Rotate secrets" in docs/OPERATIONS.md).
PLACEHOLDER_SECRETS = (
    "changeme",
    "change-me",
    "change_me",
    "placeholder",
    "example",
    "your-secret",
    "your_secret",
    "secret-key",
    "test-secret",
    "testsecret",
    "dev-secret",
    "jwt-secret",
    "pengaduan",
    "password",
    "12345678",
)
# Fewer different characters than this: "xxxx…", "abababab…", not a random secret.
MIN_DISTINCT_CHARACTERS = 10


class ProductionConfigError(UnusableSettings):
    """The process must not start: each problem is one line of the message."""

    def __init__(self, process: str, problems: list[str]) -> None:
        super().__init__(problems, " in production mode (PENGADUAN_MODE=production)", process)


def jwt_secret_problems(settings: Settings) -> list[str]:
    name = "PENGADUAN_JWT_SECRET"
    if settings.auth.jwt_secret is None:
        return [f"{name} is not set (32+ random characters, from the environment or a file)"]
    secret = settings.auth.jwt_secret.get_secret_value()
    problems = []
    if len(secret) < MIN_SECRET_LENGTH:
        problems.append(f"{name} is shorter than {MIN_SECRET_LENGTH} characters")
    lowered = secret.lower()
    if any(placeholder in lowered for placeholder in PLACEHOLDER_SECRETS) or (
        len(set(secret)) < MIN_DISTINCT_CHARACTERS
    ):
        problems.append(f"{name} is a placeholder or default value, not a random secret")
    return problems


def database_problems(settings: Settings, services: Iterable[str]) -> list[str]:
    problems = []
    for service in services:
        name = f"PENGADUAN_{service.upper()}_DATABASE_URL"
        url = settings.database.configured_url(service)
        if not url:
            problems.append(f"{name} is not set (the embedded default is a SQLite file)")
        elif url.startswith("sqlite"):
            problems.append(f"{name} is SQLite; production needs PostgreSQL")
    return problems


def redis_problems(settings: Settings) -> list[str]:
    if settings.broker.redis_url is None:
        return ["PENGADUAN_REDIS_URL is not set (the embedded default starts its own Redis)"]
    return []


def cookie_problems(settings: Settings) -> list[str]:
    if not settings.cookies_secure:
        return ["PENGADUAN_SECURE_COOKIES is off: cookies would be sent over plain http"]
    return []


def attachment_store_problems(settings: Settings) -> list[str]:
    """Intake writes attachments and the workflow reads them, from processes of their own: the
    store must be one both reach (an object store, or a directory named for a shared volume)."""
    store = settings.attachments
    if store.backend == "directory":
        if "directory" in store.model_fields_set:
            return []
        return [
            "PENGADUAN_ATTACHMENTS_BACKEND is directory without PENGADUAN_ATTACHMENTS_DIRECTORY: "
            "each container would keep its own files (use s3, or a directory on a shared volume)"
        ]
    problems = []
    if not store.s3_access_key:
        problems.append("PENGADUAN_ATTACHMENTS_S3_ACCESS_KEY is not set")
    if store.s3_secret_key is None or not store.s3_secret_key.get_secret_value():
        problems.append("PENGADUAN_ATTACHMENTS_S3_SECRET_KEY is not set")
    return problems


def require_production_ready(
    process: str,
    *,
    services: Iterable[str] = (),
    jwt: bool = True,
    redis: bool = True,
    cookies: bool = True,
    attachments: bool = False,
    extra_checks: Iterable[ProductionCheck] = (),
    settings: Settings | None = None,
) -> None:
    """Raise ``ProductionConfigError`` naming every problem, when in production mode.

    ``services``: whose databases this process uses. ``attachments``: it reads or writes the
    attachment store. ``extra_checks``: the service's own
    concerns, asked only once the settings themselves are sound (so never of a SQLite file).
    """
    settings = settings or get_settings()
    if settings.deployment.mode != "production":
        return
    problems = database_problems(settings, services)
    if jwt:
        problems += jwt_secret_problems(settings)
    if redis:
        problems += redis_problems(settings)
    if cookies:
        problems += cookie_problems(settings)
    if attachments:
        problems += attachment_store_problems(settings)
    if not problems:
        for check in extra_checks:
            problems += check()
    if problems:
        raise ProductionConfigError(process, problems)
