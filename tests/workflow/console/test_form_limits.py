"""The console's fields say the limits the server enforces: the login's credentials and the
search box carry the very maxlength the routes validate with (the step and path inputs carry
the SOP's ``InputField.max_length``, tested with the case page)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.workflow.cases.search import CaseFilter
from services.workflow.console.app import MAX_CREDENTIAL_LENGTH
from services.workflow.models import StaffUser
from shared.sop import Role
from tests.workflow.console_client import log_in, open_console, post_form


@pytest.fixture
def console(configured: dict[str, str]) -> Iterator[TestClient]:
    with open_console() as client:
        yield client


def _maxlength(page: str, name: str) -> int:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*maxlength="(\d+)"', page, re.S)
    assert found, f"no maxlength on {name}"
    return int(found.group(1))


def test_the_login_fields_say_the_servers_limit(console: TestClient) -> None:
    page = console.get("/console/masuk").text
    for name in ("username", "password"):
        assert _maxlength(page, name) == MAX_CREDENTIAL_LENGTH
        assert re.search(rf'<input[^>]*name="{name}"[^>]*required', page, re.S)
    too_long = "x" * (MAX_CREDENTIAL_LENGTH + 1)
    refused = post_form(console, "/console/masuk", {"username": too_long, "password": "x"})
    assert refused.status_code == 422


def test_the_search_box_says_the_servers_limit(
    console: TestClient, staff: dict[Role, StaffUser]
) -> None:
    log_in(console, Role.ADMIN)
    page = console.get("/console/cari").text
    schema = CaseFilter.model_json_schema()["properties"]["q"]
    assert _maxlength(page, "q") == schema["maxLength"]
