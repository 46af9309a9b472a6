"""The staff account CLI, run as a real process against the service's database."""

from __future__ import annotations

import subprocess
import sys

from fastapi.testclient import TestClient

from services.workflow.api.app import create_app

CLI = [sys.executable, "-m", "services.workflow.staff.cli"]


def _cli(
    env: dict[str, str], *args: str, password: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        env=env,
        input=password,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _login(client: TestClient, username: str, password: str) -> int:
    return client.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    ).status_code


def test_created_user_logs_in_and_a_reset_password_replaces_the_old(
    configured: dict[str, str],
) -> None:
    created = _cli(
        configured,
        "create",
        "sri",
        "--role",
        "kasi",
        "--password-stdin",
        password="kasi-rahasia-01\n",
    )
    assert created.returncode == 0, created.stderr
    assert "Kepala Seksi" in created.stdout
    with TestClient(create_app()) as client:
        assert _login(client, "sri", "kasi-rahasia-01") == 200
        reset = _cli(
            configured, "reset-password", "sri", "--password-stdin", password="kasi-baru-0002\n"
        )
        assert reset.returncode == 0, reset.stderr
        assert _login(client, "sri", "kasi-rahasia-01") == 401
        assert _login(client, "sri", "kasi-baru-0002") == 200


def test_deactivated_user_cannot_log_in_and_shows_as_inactive(configured: dict[str, str]) -> None:
    _cli(
        configured,
        "create",
        "andi",
        "--role",
        "admin",
        "--password-stdin",
        password="admin-rahasia-1\n",
    )
    assert _cli(configured, "deactivate", "andi").returncode == 0
    listing = _cli(configured, "list").stdout
    assert "andi\tadmin\tnonaktif" in listing
    with TestClient(create_app()) as client:
        assert _login(client, "andi", "admin-rahasia-1") == 401


def test_refuses_a_short_password_a_duplicate_and_an_unknown_role(
    configured: dict[str, str],
) -> None:
    short = _cli(
        configured, "create", "budi", "--role", "admin", "--password-stdin", password="pendek\n"
    )
    assert short.returncode == 1 and "minimal" in short.stderr
    assert "budi" not in _cli(configured, "list").stdout
    _cli(
        configured,
        "create",
        "budi",
        "--role",
        "admin",
        "--password-stdin",
        password="cukup-panjang-1\n",
    )
    again = _cli(
        configured,
        "create",
        "budi",
        "--role",
        "kasi",
        "--password-stdin",
        password="cukup-panjang-2\n",
    )
    assert again.returncode == 1 and "sudah ada" in again.stderr
    assert (
        _cli(
            configured, "create", "x", "--role", "bos", "--password-stdin", password="p" * 12
        ).returncode
        == 2
    )
    assert _cli(configured, "deactivate", "tidak-ada").returncode == 1


def test_staff_email_is_set_checked_and_cleared_from_the_cli(configured: dict[str, str]) -> None:
    created = _cli(
        configured,
        "create",
        "ani",
        "--role",
        "admin",
        "--email",
        "Ani@DPMPTSP.example.id",
        "--password-stdin",
        password="admin-rahasia-1\n",
    )
    assert created.returncode == 0, created.stderr
    assert "ani\tadmin\taktif\t\tAni@dpmptsp.example.id" in _cli(configured, "list").stdout

    bad = _cli(configured, "set-email", "ani", "bukan-email")
    assert bad.returncode == 1
    assert "Alamat email tidak valid" in bad.stderr
    assert _cli(configured, "set-email", "ani").returncode == 0
    assert "ani\tadmin\taktif\t\t-" in _cli(configured, "list").stdout


def test_a_unit_is_set_at_creation_changed_and_cleared_and_shown(
    configured: dict[str, str],
) -> None:
    created = _cli(
        configured,
        "create",
        "rina",
        "--role",
        "tim_koordinasi",
        "--full-name",
        "Rina Kartika",
        "--unit",
        "  Bidang   Perizinan ",
        "--password-stdin",
        password="tim-rahasia-001\n",
    )
    assert created.returncode == 0, created.stderr
    assert _cli(configured, "list").stdout.splitlines()[0].endswith("\tBidang Perizinan")
    with TestClient(create_app()) as client:
        token = client.post(
            "/api/v1/auth/token", data={"username": "rina", "password": "tim-rahasia-001"}
        ).json()["access_token"]
        me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.json()["unit"] == "Bidang Perizinan"
    changed = _cli(configured, "set-unit", "rina", "Seksi Pengaduan")
    assert changed.returncode == 0 and "Seksi Pengaduan" in changed.stdout
    assert "\tSeksi Pengaduan" in _cli(configured, "list").stdout
    cleared = _cli(configured, "set-unit", "rina")
    assert cleared.returncode == 0 and "dihapus" in cleared.stdout
    assert _cli(configured, "list").stdout.splitlines()[0].endswith("\t-")
    unknown = _cli(configured, "set-unit", "siapa", "Bidang Perizinan")
    assert unknown.returncode == 1 and "'siapa' tidak ditemukan" in unknown.stderr
    too_long = _cli(configured, "set-unit", "rina", "x" * 121)
    assert too_long.returncode == 1 and "paling panjang 120" in too_long.stderr
