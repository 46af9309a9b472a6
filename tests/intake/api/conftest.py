"""The intake API's hostile-input tests share one client: a browser with room in the limits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.intake.api.app import create_app
from tests.intake.conftest import set_settings


@pytest.fixture
def generous(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    # The list is long: room for it within the limits (the limits have their own tests).
    return {
        **configured,
        **set_settings(monkeypatch, filing_limit="1000/hour", tracking_limit="1000/minute"),
    }


@pytest.fixture
def browser(generous: dict[str, str]) -> Iterator[TestClient]:
    # raise_server_exceptions=False: a bug must show as the 500 a client would get.
    with TestClient(
        create_app(), base_url="https://testserver", raise_server_exceptions=False
    ) as client:
        client.get("/")  # holds the CSRF cookie, as a browser would
        yield client
