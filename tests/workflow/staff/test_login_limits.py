"""Login rate limiting over HTTP (in-process ASGI) with the counters in the test's real Redis."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing

import httpx
import pytest
from fastapi.testclient import TestClient

from services.workflow.api.app import create_app
from services.workflow.staff.login_limits import wait_text
from shared.runtime.settings import get_settings
from tests.support.state import reset_process_state
from tests.workflow.conftest import PASSWORD
from tools.harness.processes import wait_for

TOKEN_URL = "/api/v1/auth/token"
ADMIN = "petugas_admin"


@pytest.fixture
def limited(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """Small limits so a test reaches them in a few requests; a long lockout unless overridden."""
    monkeypatch.setenv("PENGADUAN_LOGIN_MAX_FAILURES_PER_USERNAME", "3")
    monkeypatch.setenv("PENGADUAN_LOGIN_MAX_FAILURES_PER_CLIENT", "5")
    monkeypatch.setenv("PENGADUAN_LOGIN_FAILURE_WINDOW_SECONDS", "600")
    monkeypatch.setenv("PENGADUAN_LOGIN_LOCKOUT_SECONDS", "600")
    reset_process_state()
    with TestClient(create_app()) as client:
        yield client


def _attempt(
    client: TestClient, username: str, password: str, ip: str | None = None
) -> httpx.Response:
    """One login; ``ip`` simulates another client address (TestClient's own is fixed)."""
    data = {"username": username, "password": password}
    if ip is None:
        return client.post(TOKEN_URL, data=data)
    with closing(TestClient(client.app, client=(ip, 50000))) as other:
        return other.post(TOKEN_URL, data=data)


def _login(client: TestClient, username: str, password: str, ip: str | None = None) -> int:
    return _attempt(client, username, password, ip).status_code


def test_the_third_wrong_password_locks_the_username_with_the_wait_in_indonesian(
    limited: TestClient, staff: dict
) -> None:
    for _ in range(2):
        assert _login(limited, ADMIN, "salah") == 401
    response = limited.post(TOKEN_URL, data={"username": ADMIN, "password": "salah"})
    assert response.status_code == 429
    assert response.json()["code"] == "login_locked"
    assert "coba lagi dalam 10 menit" in response.json()["message"]
    assert 590 <= int(response.headers["Retry-After"]) <= 600


def test_a_locked_username_stays_locked_even_with_the_right_password(
    limited: TestClient, staff: dict
) -> None:
    for _ in range(3):
        _login(limited, ADMIN, "salah")
    response = limited.post(TOKEN_URL, data={"username": ADMIN, "password": PASSWORD})
    assert response.status_code == 429
    assert "access_token" not in response.json()
    # Another username from the same client is not locked by it.
    assert _login(limited, "petugas_kasi", PASSWORD) == 200


def test_the_lock_ends_when_its_time_has_passed(
    limited: TestClient, staff: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PENGADUAN_LOGIN_LOCKOUT_SECONDS", "2")
    get_settings.cache_clear()
    for _ in range(3):
        _login(limited, ADMIN, "salah")
    response = limited.post(TOKEN_URL, data={"username": ADMIN, "password": PASSWORD})
    assert response.status_code == 429
    assert "2 detik" in response.json()["message"]
    wait_for(lambda: _login(limited, ADMIN, PASSWORD) == 200, timeout=10, what="lock to expire")


def test_the_client_is_locked_after_failures_across_usernames(
    limited: TestClient, staff: dict
) -> None:
    for name in ("a1", "a2", "a3", "a4"):
        assert _login(limited, name, "salah") == 401
    assert _login(limited, "a5", "salah") == 429
    # Locked as a client: even a real account with its right password waits.
    assert _login(limited, "petugas_kasi", PASSWORD) == 429
    # Another client address is not.
    assert _login(limited, "petugas_kasi", PASSWORD, ip="10.0.0.9") == 200


def test_a_successful_login_resets_the_usernames_failures(limited: TestClient, staff: dict) -> None:
    for _ in range(2):
        assert _login(limited, ADMIN, "salah") == 401
    assert _login(limited, ADMIN, PASSWORD, ip="10.0.0.9") == 200
    # Two more failures from a third address: the count started again, so no lock yet.
    for _ in range(2):
        assert _login(limited, ADMIN, "salah", ip="10.0.0.10") == 401
    assert _login(limited, ADMIN, PASSWORD, ip="10.0.0.11") == 200


def test_an_unknown_username_is_treated_exactly_like_a_known_one(
    limited: TestClient, staff: dict
) -> None:
    answers = {}
    for name, ip in ((ADMIN, "10.0.0.1"), ("tidak_ada", "10.0.0.2")):
        statuses = [_login(limited, name, "salah", ip=ip) for _ in range(4)]
        last = _attempt(limited, name, "salah", ip=ip)
        answers[name] = (statuses, last.json(), last.headers["Retry-After"])
    assert answers[ADMIN][0] == answers["tidak_ada"][0] == [401, 401, 429, 429]
    assert answers[ADMIN][1] == answers["tidak_ada"][1]


def test_the_lock_is_shared_by_every_api_process(limited: TestClient, staff: dict) -> None:
    """A second app (as a second process would) sees the first one's lock: it lives in Redis."""
    for _ in range(3):
        _login(limited, ADMIN, "salah")
    with TestClient(create_app()) as second:
        assert _login(second, ADMIN, PASSWORD) == 429


def test_logins_still_work_when_redis_is_unreachable(
    configured: dict[str, str], staff: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting pauses rather than refusing every login while Redis is down: the right password
    still gets a token, a wrong one is still 401 (never a 500 or a lock)."""
    monkeypatch.setenv("PENGADUAN_REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens there
    reset_process_state()
    with TestClient(create_app()) as client:
        for _ in range(4):  # more than the username's limit of failures, were they counted
            assert _login(client, ADMIN, "salah") == 401
        response = _attempt(client, ADMIN, PASSWORD)
        assert response.status_code == 200, response.text
        token = response.json()["access_token"]
        me = client.get("/api/v1/worklist", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200


def test_wait_text_reads_naturally() -> None:
    assert wait_text(1) == "1 detik"
    assert wait_text(59) == "59 detik"
    assert wait_text(60) == "1 menit"
    assert wait_text(61) == "2 menit"
