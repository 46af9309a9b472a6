"""Real parts for every test: a Redis server, fresh databases (PostgreSQL when
``PENGADUAN_TEST_DATABASE_URL`` is set, SQLite files otherwise) and an SMTP server."""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.runtime.log_context import end_task_scope
from tests.support.state import reset_process_state
from tools.harness.databases import PostgresDatabases, SqliteDatabases, database_pool, fresh_set
from tools.harness.environment import FAST_RECOVERY, desk_environment, emptied_redis_db
from tools.harness.postgres_cluster import PostgresCluster, binaries
from tools.harness.redis_server import RedisServer
from tools.harness.smtp import SmtpServer

# PENGADUAN_TEST_CLOCK moves the whole run's wall clock (.ci/run's shifted-date runs).
# tests.support.skipped_groups closes a run with the groups skipped for want of a part;
# tests.support.password_hashes makes the test process's staff passwords cheap to hash.
pytest_plugins = [
    "tests.support.shifted_clock",
    "tests.support.skipped_groups",
    "tests.support.password_hashes",
]

# The test SMTP server (aiosmtpd) notes every connection at INFO, from its own thread, between
# tests: noise beside the services' own lines.
logging.getLogger("mail.log").setLevel(logging.WARNING)

# The Redis db number the tests use on a shared server (CI's); flushed before and after each test.
# PENGADUAN_TEST_REDIS_DB gives a run a db of its own, so two runs can share one server
# (.ci/run's shifted-date runs); under pytest-xdist (make test's TEST_WORKERS) each worker takes
# the next one: gw0 the db given, gw1 the one after it, ...


def _test_redis_db() -> int:
    base = int(os.environ.get("PENGADUAN_TEST_REDIS_DB", "13"))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")  # set by pytest-xdist in its workers
    db = base + int(worker.removeprefix("gw"))
    if db > MAX_REDIS_DB:
        raise pytest.UsageError(
            f"test worker {worker} would use Redis db {db} (PENGADUAN_TEST_REDIS_DB={base}), past "
            f"the server's last ({MAX_REDIS_DB}): give a lower PENGADUAN_TEST_REDIS_DB or fewer "
            "TEST_WORKERS"
        )
    return db


MAX_REDIS_DB = 15  # Redis's default `databases 16`
TEST_REDIS_DB = _test_redis_db()


@pytest.fixture(autouse=True)
def _fresh_log_context() -> Iterator[None]:
    """A test that runs a consumer in this process (no Celery prerun/postrun around it) leaves
    the ids it annotated in the log context; the next test's lines must not carry them."""
    yield
    end_task_scope()


@pytest.fixture(scope="session")
def redis_base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    configured = os.environ.get("PENGADUAN_TEST_REDIS_URL")
    if configured:
        yield configured.rstrip("/").rsplit("/", 1)[0] if configured.count("/") > 2 else configured
        return
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
def broker_url(redis_base_url: str) -> Iterator[str]:
    with emptied_redis_db(f"{redis_base_url}/{TEST_REDIS_DB}") as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteDatabases]:
    with database_pool(None, tmp_path_factory.mktemp("sqlite")) as pool:
        assert isinstance(pool, SqliteDatabases)
        yield pool


# Dropped when the session finishes, not in the session fixture's teardown: that runs inside the
# last test's teardown, under its timeout, and a run's hundreds of databases took longer than
# that to drop on a loaded machine (1,000 drops at load 20: past 300 s).
_POOLS_TO_DROP: list[PostgresDatabases] = []


@pytest.fixture(scope="session")
def postgres_pool() -> PostgresDatabases | None:
    url = os.environ.get("PENGADUAN_TEST_DATABASE_URL")
    if not url:
        return None
    pool = PostgresDatabases(url)
    _POOLS_TO_DROP.append(pool)
    return pool


NO_POSTGRES_SERVER = "PostgreSQL's server binaries are not installed"


@pytest.fixture(scope="session")
def own_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresCluster]:
    """A PostgreSQL server of the tests' own, for tests that stop, restart or starve it (never
    the machine's shared one). A test that stops it starts it again before it ends."""
    if binaries() is None:
        pytest.skip(NO_POSTGRES_SERVER)
    cluster = PostgresCluster(tmp_path_factory.mktemp("own-postgres") / "cluster").init()
    cluster.start()
    yield cluster
    cluster.destroy()


@pytest.fixture(scope="session")
def own_postgres_pool(own_postgres: PostgresCluster) -> Iterator[PostgresDatabases]:
    """Fresh, migrated databases on the tests' own server (``database_urls`` of a module that
    takes the database away); gone with the server."""
    pool = PostgresDatabases(own_postgres.url())
    yield pool
    pool.admin.dispose()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    while _POOLS_TO_DROP:
        _POOLS_TO_DROP.pop().drop_all()


BOTH_DATABASES = ("sqlite", "postgresql")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # pytest-xdist schedules tests by id: of tests sharing one, `make test` runs only one and
    # counts only one, silently (schemathesis's were 73 under 3 ids: tests/contract/conftest.py).
    counts = Counter(item.nodeid for item in items)
    shared = sorted(nodeid for nodeid, count in counts.items() if count > 1)
    if shared:
        raise pytest.UsageError(f"tests sharing an id (pytest-xdist runs one of each): {shared}")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # A test marked both_databases runs once per backend (``database_urls``'s param).
    if metafunc.definition.get_closest_marker("both_databases"):
        metafunc.parametrize("database_urls", BOTH_DATABASES, indirect=True)


@pytest.fixture
def database_urls(
    request: pytest.FixtureRequest,
    postgres_pool: PostgresDatabases | None,
    sqlite_pool: SqliteDatabases,
) -> dict[str, str]:
    """Fresh databases on PostgreSQL when the machine has one configured, SQLite otherwise; on
    the backend named by the ``both_databases`` marker's parametrisation when there is one."""
    backend = getattr(request, "param", None)
    if backend is None:
        return fresh_set(postgres_pool or sqlite_pool)
    if backend == "postgresql":
        if postgres_pool is None:
            pytest.skip("PENGADUAN_TEST_DATABASE_URL is not set")
        return fresh_set(postgres_pool)
    return fresh_set(sqlite_pool)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def service_env(
    tmp_path: Path, broker_url: str, database_urls: dict[str, str], smtp_server: SmtpServer
) -> dict[str, str]:
    """The environment every process of one test runs with (also applied in-process)."""
    return desk_environment(tmp_path, broker_url, database_urls, smtp_server.port, **FAST_RECOVERY)


@pytest.fixture
def configured(
    service_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """Apply ``service_env`` to this process, for tests that call services in-process."""
    for key, value in service_env.items():
        if key.startswith("PENGADUAN_"):
            monkeypatch.setenv(key, value)
    reset_process_state()
    yield service_env
    reset_process_state()
