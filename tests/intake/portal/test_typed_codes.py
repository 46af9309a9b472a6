"""A tracking code is found however a person types it (issue 21, item 6): on the portal's
tracking form, in the page's address and in the API's path."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shared.messaging.contracts import codes as drawing
from tests.intake.conftest import file, track
from tests.intake.portal.conftest import file_through_form, open_tracking

CODE = "PGD-0110-7RZG"  # a 0 and two 1s, which people type as O, I and L
TYPED = ["PGD01107RZG", "pgd 0110 7rzg", "pgd-oilo-7rzg", "PGDOIL07RZG", "0110-7RZG"]


@pytest.fixture
def fixed_code(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(drawing, "new_tracking_code", lambda: CODE)
    return CODE


@pytest.mark.parametrize("typed", TYPED)
def test_the_tracking_form_opens_the_page_for_a_code_typed_loosely(
    portal: TestClient, fixed_code: str, typed: str
) -> None:
    code, token = file_through_form(portal)
    assert code == fixed_code
    response = open_tracking(portal, typed, token)
    assert response.status_code == 303
    assert response.headers["location"] == f"/lacak/{CODE}"
    loose_address = portal.get(f"/lacak/{typed.replace(' ', '')}", follow_redirects=False)
    assert loose_address.status_code == 303
    assert loose_address.headers["location"] == f"/lacak/{CODE}"


@pytest.mark.parametrize("typed", TYPED)
def test_the_api_finds_a_code_typed_loosely(
    client: TestClient, fixed_code: str, typed: str
) -> None:
    filed = file(client)
    assert filed["tracking_code"] == fixed_code
    body = track(client, typed.replace(" ", "%20"), filed["access_token"])
    assert body["tracking_code"] == CODE
