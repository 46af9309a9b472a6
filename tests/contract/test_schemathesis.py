"""Both APIs, live as real uvicorn processes, fuzzed from their own OpenAPI documents: no answer
is a 5xx, and every answer is one the document promises (status code, content type, headers,
body schema). Bounded and seeded, so it is a fast and repeatable part of ``make test``."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.schemas import OpenApiSchema
from sqlalchemy import create_engine, func, select

from services.intake.models import Base as IntakeBase
from services.workflow.staff.accounts import create_user
from shared.database.engine import ServiceDatabase
from shared.database.shared_tables import OutboxMessage
from shared.sop import Role
from tests.conftest import TEST_REDIS_DB
from tools.harness.databases import PostgresDatabases, SqliteDatabases, fresh_set
from tools.harness.environment import emptied_redis_db, service_environment
from tools.harness.processes import ApiProcess

pytestmark = pytest.mark.journey

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
BOUNDED = settings(
    max_examples=30,
    derandomize=True,  # the same cases on every run: a failure here is reproducible
    database=None,
    deadline=None,  # a live server over HTTP; its timing is not what is tested
    suppress_health_check=list(HealthCheck),
)
STAFF = "uji_kontrak"
PASSWORD = "kata-sandi-kontrak-123"
# The fuzzer sends hundreds of logins, filings and lookups from one address: lift the lockout
# and the per-client limits here so each route is exercised for what it answers otherwise (the
# limits have their own tests).
UNLIMITED_LOGINS = {
    "login_max_failures_per_username": "1000000",
    "login_max_failures_per_client": "1000000",
    "filing_limit": "1000000/hour",
    "tracking_limit": "1000000/minute",
}


def _schema(service: str) -> OpenApiSchema:
    # Built from the app at collection, where no server runs yet. (The fixture-based lazy loader,
    # schemathesis.pytest.from_fixture, fails on pytest 9.2: it sets Function._nodeid, which
    # pytest 9.2 no longer has.)
    module = importlib.import_module(f"services.{service}.api.app")
    return schemathesis.openapi.from_dict(module.create_app().openapi())


intake = _schema("intake")
workflow = _schema("workflow")
# The same document, generating only requests it rules out (wrong types, missing fields, values
# out of range, extra headers): each must be refused with a 4xx and leave the database as it was.
intake_refused = _schema("intake")
intake_refused.config.generation.update(modes=[GenerationMode.NEGATIVE])
intake_refused.config.phases.update(phases=["coverage", "fuzzing"])  # the examples are valid


def _live(
    service: str, schema: OpenApiSchema, env: dict[str, str], logs: Path
) -> Iterator[ApiProcess]:
    api = ApiProcess(service, env, logs).start()
    try:
        # The cases come from the app's document; the live server must serve that very one.
        assert httpx.get(f"{api.url}/openapi.json", timeout=30).json() == schema.raw_schema
        yield api
    finally:
        api.stop()


@pytest.fixture(scope="module")
def contract_env(
    tmp_path_factory: pytest.TempPathFactory,
    redis_base_url: str,
    postgres_pool: PostgresDatabases | None,
    sqlite_pool: SqliteDatabases,
) -> Iterator[dict[str, str]]:
    """``service_env``'s settings, once for the module: schemathesis makes each operation a test
    of its own, and one server per module instead of per operation keeps the run fast."""
    tmp = tmp_path_factory.mktemp("contract")
    urls = fresh_set(postgres_pool or sqlite_pool)
    with emptied_redis_db(f"{redis_base_url}/{TEST_REDIS_DB}") as broker:
        yield service_environment(tmp / "var", broker, urls, **UNLIMITED_LOGINS)


@pytest.fixture(scope="module")
def intake_api(
    contract_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiProcess]:
    yield from _live("intake", intake, contract_env, tmp_path_factory.mktemp("logs"))


@pytest.fixture(scope="module")
def workflow_api(
    contract_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiProcess]:
    yield from _live("workflow", workflow, contract_env, tmp_path_factory.mktemp("logs"))


@pytest.fixture(scope="module")
def staff_headers(contract_env: dict[str, str], workflow_api: ApiProcess) -> dict[str, str]:
    """A real staff account, created the way the CLI does, and its bearer token."""
    db = ServiceDatabase("workflow", contract_env["PENGADUAN_WORKFLOW_DATABASE_URL"])
    with db.transaction() as session:
        create_user(session, username=STAFF, password=PASSWORD, role=Role.ADMIN)
    db.engine.dispose()
    response = httpx.post(
        f"{workflow_api.url}/api/v1/auth/token",
        data={"username": STAFF, "password": PASSWORD},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@intake.parametrize()
@BOUNDED
def test_intake_api_keeps_its_contract(case: schemathesis.Case, intake_api: ApiProcess) -> None:
    case.call_and_validate(base_url=intake_api.url, checks=CHECKS, timeout=30)


@workflow.parametrize()
@BOUNDED
def test_workflow_api_keeps_its_contract(
    case: schemathesis.Case, workflow_api: ApiProcess, staff_headers: dict[str, str]
) -> None:
    case.call_and_validate(
        base_url=workflow_api.url, headers=staff_headers, checks=CHECKS, timeout=30
    )


def _intake_rows(env: dict[str, str]) -> dict[str, int]:
    """Rows of every intake table, the outbox and the idempotency keys among them."""
    engine = create_engine(env["PENGADUAN_INTAKE_DATABASE_URL"])
    tables = [*IntakeBase.metadata.sorted_tables, OutboxMessage.__table__]
    try:
        with engine.connect() as connection:
            return {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in tables
            }
    finally:
        engine.dispose()


@intake_refused.parametrize()
@BOUNDED
def test_intake_api_refuses_what_its_contract_rules_out_and_changes_nothing(
    case: schemathesis.Case, intake_api: ApiProcess, contract_env: dict[str, str]
) -> None:
    before = _intake_rows(contract_env)
    case.call_and_validate(
        base_url=intake_api.url,
        checks=[not_a_server_error, negative_data_rejection],
        timeout=30,
    )
    assert _intake_rows(contract_env) == before
