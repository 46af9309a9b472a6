"""Staff tokens end: by their expiry (JWT ``exp``), checked on every request."""

from __future__ import annotations

from datetime import timedelta

import jwt
from fastapi.testclient import TestClient

from services.workflow.auth import ALGORITHM
from shared.db import utcnow
from shared.settings import get_settings
from shared.sop import Role


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
