"""``pengaduan-partner``, run as a real process against intake's database: a key printed once
files requests, the list says who is active, and a revoked key opens nothing."""

from __future__ import annotations

import subprocess
import sys

from fastapi.testclient import TestClient
from sqlalchemy import select

from services.intake.database import get_db
from services.intake.models import Partner
from tests.intake.open311.conftest import filed, post, request_form, spec_error

CLI = [sys.executable, "-m", "services.intake.open311.cli"]


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_a_created_key_files_and_a_revoked_one_is_refused(
    configured: dict[str, str], client: TestClient
) -> None:
    created = cli(configured, "create", "lapor-kota")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert key.startswith("pgd311_") and len(key) > 40
    assert "hanya ditampilkan sekali" in created.stderr
    with get_db().sessions() as session:
        [partner] = session.scalars(select(Partner)).all()
        assert key not in (partner.key_hash, partner.name)  # only its hash is kept

    filed(client, key)
    listing = cli(configured, "list")
    assert listing.stdout.startswith("lapor-kota\taktif\tdibuat ")

    revoked = cli(configured, "revoke", "lapor-kota")
    assert revoked.returncode == 0, revoked.stderr
    assert "dicabut" in cli(configured, "list").stdout
    spec_error(post(client, request_form(key)), 403)


def test_refuses_a_duplicate_a_bad_name_and_an_unknown_partner(
    configured: dict[str, str],
) -> None:
    assert cli(configured, "create", "lapor-kota").returncode == 0
    again = cli(configured, "create", "lapor-kota")
    assert again.returncode == 1 and "sudah ada" in again.stderr and again.stdout == ""
    bad = cli(configured, "create", "Nama Dengan Spasi")
    assert bad.returncode == 1 and "Nama mitra tidak valid" in bad.stderr
    unknown = cli(configured, "revoke", "tidak-ada")
    assert unknown.returncode == 1 and "tidak ditemukan" in unknown.stderr
    assert cli(configured, "revoke", "lapor-kota").returncode == 0
    twice = cli(configured, "revoke", "lapor-kota")
    assert twice.returncode == 1 and "sudah dicabut" in twice.stderr
