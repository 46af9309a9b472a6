"""Staff tokens end: by their expiry (JWT ``exp``), checked on every request."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from fastapi.testclient import TestClient

from shared.database.engine import utcnow
from shared.runtime.settings import get_settings
from shared.sop import Role
from shared.web.staff_tokens import ALGORITHM
from tests.workflow.conftest import PASSWORD


def test_an_expired_token_is_refused(client: TestClient, staff: dict) -> None:
    claims = {
        "sub": str(staff[Role.ADMIN].id),
        "exp": utcnow() - timedelta(seconds=5),
        "iat": utcnow() - timedelta(hours=8),
    }
    expired = jwt.encode(claims, get_settings().jwt_key(), algorithm=ALGORITHM)
    response = client.get("/api/v1/worklist", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert response.json()["message"] == "Sesi telah berakhir, silakan masuk kembali"


def token_signed_with(key: str, staff: dict) -> str:
    claims = {"sub": str(staff[Role.ADMIN].id), "exp": utcnow() + timedelta(hours=1)}
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def worklist_status(client: TestClient, token: str) -> int:
    return client.get("/api/v1/worklist", headers={"Authorization": f"Bearer {token}"}).status_code


def test_while_the_secret_is_rotated_tokens_of_the_previous_one_still_count(
    client: TestClient, staff: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    retired = get_settings().jwt_key()
    old_token = token_signed_with(retired, staff)
    monkeypatch.setenv("PENGADUAN_JWT_SECRET", "a-brand-new-secret-of-forty-characters!!")
    monkeypatch.setenv("PENGADUAN_JWT_PREVIOUS_SECRET", retired)
    get_settings.cache_clear()
    assert worklist_status(client, old_token) == 200
    # A new login is signed with the new secret alone.
    fresh = client.post(
        "/api/v1/auth/token", data={"username": staff[Role.ADMIN].username, "password": PASSWORD}
    ).json()["access_token"]
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(fresh, retired, algorithms=[ALGORITHM])

    # Once the previous secret is gone, so are its tokens.
    monkeypatch.delenv("PENGADUAN_JWT_PREVIOUS_SECRET")
    get_settings.cache_clear()
    assert worklist_status(client, old_token) == 401
    assert worklist_status(client, fresh) == 200


def test_a_token_signed_with_an_unknown_secret_is_refused_during_a_rotation(
    client: TestClient, staff: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PENGADUAN_JWT_PREVIOUS_SECRET", "the-secret-being-retired-forty-chars-long")
    get_settings.cache_clear()
    forged = token_signed_with("a-secret-the-office-never-had-forty-chars", staff)
    assert worklist_status(client, forged) == 401
