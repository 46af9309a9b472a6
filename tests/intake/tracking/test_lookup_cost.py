"""A tracking lookup does the same work whether the code exists or not: an unknown code is
still hashed and compared, in constant time, against a decoy hash, so the answer's timing does
not tell a guesser which codes exist. Asserted by counting the comparisons, not by timing."""

from __future__ import annotations

import hmac
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.intake.database import get_db
from services.intake.filing import complaints
from services.intake.tracking import codes
from shared.web.domain_errors import NotFound
from tests.intake.conftest import file

WRONG_TOKEN = "bukan-token-yang-benar-0123456789abcdefghijk"


@pytest.fixture
def comparisons(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, Any]]:
    """Every constant-time comparison the token check makes, with what it compared."""
    seen: list[tuple[Any, Any]] = []
    real = hmac.compare_digest

    def counting(a: Any, b: Any) -> bool:
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", counting)
    return seen


def _lookup(code: str, token: str) -> None:
    with get_db().sessions() as session:
        complaints.find_for_citizen(session, code, token)


@pytest.mark.parametrize(
    "code", ["PGD-0000-0000", "tidak-ada", ""], ids=["unknown", "malformed", "empty"]
)
def test_a_missing_code_is_still_compared_against_the_decoy(
    client: TestClient, comparisons: list[tuple[Any, Any]], code: str
) -> None:
    with pytest.raises(NotFound):
        _lookup(code, WRONG_TOKEN)

    assert comparisons == [(codes.hash_access_token(WRONG_TOKEN), complaints._DECOY_HASH)]


def test_an_existing_code_with_a_wrong_token_makes_the_same_one_comparison(
    client: TestClient, comparisons: list[tuple[Any, Any]]
) -> None:
    filed = file(client)
    comparisons.clear()

    with pytest.raises(NotFound) as missing:
        _lookup(filed["tracking_code"], WRONG_TOKEN)

    assert len(comparisons) == 1
    assert comparisons[0][0] == codes.hash_access_token(WRONG_TOKEN)
    assert comparisons[0][1] != complaints._DECOY_HASH  # the complaint's own hash
    assert missing.value.message == complaints.NOT_FOUND_MESSAGE


def test_the_decoy_opens_nothing(client: TestClient) -> None:
    # Whatever the decoy is the hash of, it never stands in for a complaint.
    with pytest.raises(NotFound):
        _lookup("PGD-0000-0000", "")
