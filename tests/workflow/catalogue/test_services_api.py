"""The catalogue through the staff API: every staff member reads it, the Koordinator and the
Admin Pengaduan add and edit it (each edit a higher revision, who and when, and the entry on
the outbox for intake in the same transaction); any other role, bad input or a duplicate code
is refused with an Indonesian message and changes nothing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from services.workflow.catalogue import entries
from services.workflow.database import get_db
from services.workflow.models import CatalogueEntry, StaffUser
from shared.database.shared_tables import OutboxMessage
from shared.licensing_services import SEED_SERVICES
from shared.messaging.contracts import INTAKE_SERVICE_ENTRY_TASK
from shared.sop import Role
from tests.support.outbox import queued_payloads
from tests.workflow.conftest import login

NEW = {"code": "IUJK", "name": "Izin Usaha Jasa Konstruksi", "group": "berusaha"}


def catalogue_state() -> tuple[list[tuple[Any, ...]], int]:
    """Every entry as stored, and how many messages wait in the outbox."""
    with get_db().sessions() as session:
        entries = [
            (e.code, e.name, e.group, e.active, e.revision, e.updated_by)
            for e in session.scalars(select(CatalogueEntry).order_by(CatalogueEntry.code))
        ]
        return entries, session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


@pytest.fixture
def tokens(client: TestClient, staff: dict[Role, StaffUser]) -> dict[Role, dict[str, str]]:
    return {role: login(client, role) for role in Role}


def test_every_staff_member_reads_the_whole_catalogue(
    client: TestClient, tokens: dict[Role, dict[str, str]]
) -> None:
    for role in Role:
        response = client.get("/api/v1/services", headers=tokens[role])
        assert response.status_code == 200, response.text
        assert {s["code"] for s in response.json()} == {s.code for s in SEED_SERVICES}
    pbg = next(s for s in response.json() if s["code"] == "PBG")
    assert pbg["group_label"] == "Perizinan non berusaha"
    assert (pbg["active"], pbg["revision"], pbg["updated_by"]) == (True, 1, None)
    assert client.get("/api/v1/services").status_code == 401


@pytest.mark.parametrize("role", [Role.KOORDINATOR, Role.ADMIN])
def test_the_koordinator_and_the_admin_add_a_service_and_intake_is_told(
    client: TestClient, tokens: dict[Role, dict[str, str]], role: Role
) -> None:
    response = client.post("/api/v1/services", json=NEW, headers=tokens[role])

    assert response.status_code == 201, response.text
    added = response.json()
    assert (added["code"], added["revision"], added["active"]) == ("IUJK", 1, True)
    assert added["updated_by"] == f"petugas_{role.value}"
    [sent] = queued_payloads(get_db(), INTAKE_SERVICE_ENTRY_TASK)
    assert {k: sent[k] for k in ("code", "name", "group", "active", "revision")} == {
        **NEW,
        "active": True,
        "revision": 1,
    }
    listed = client.get("/api/v1/services", headers=tokens[Role.KASI]).json()
    assert "IUJK" in {s["code"] for s in listed}


def test_each_edit_bumps_the_revision_and_tells_intake(
    client: TestClient, tokens: dict[Role, dict[str, str]]
) -> None:
    koordinator = tokens[Role.KOORDINATOR]
    renamed = client.patch(
        "/api/v1/services/REKLAME",
        json={"name": "Izin Reklame", "group": "berusaha"},
        headers=koordinator,
    )
    withdrawn = client.patch(
        "/api/v1/services/REKLAME", json={"active": False}, headers=tokens[Role.ADMIN]
    )
    restored = client.patch("/api/v1/services/REKLAME", json={"active": True}, headers=koordinator)

    assert [r.status_code for r in (renamed, withdrawn, restored)] == [200, 200, 200]
    assert [r.json()["revision"] for r in (renamed, withdrawn, restored)] == [2, 3, 4]
    assert withdrawn.json()["active"] is False
    assert withdrawn.json()["updated_by"] == "petugas_admin"
    assert restored.json()["name"] == "Izin Reklame"
    assert restored.json()["group"] == "berusaha"
    sent = queued_payloads(get_db(), INTAKE_SERVICE_ENTRY_TASK)
    assert [(m["revision"], m["active"], m["name"]) for m in sent] == [
        (2, True, "Izin Reklame"),
        (3, False, "Izin Reklame"),
        (4, True, "Izin Reklame"),
    ]
    # A withdrawn one is still listed to staff, marked.
    client.patch("/api/v1/services/REKLAME", json={"active": False}, headers=koordinator)
    listed = client.get("/api/v1/services", headers=tokens[Role.TIM_KOORDINASI]).json()
    assert next(s for s in listed if s["code"] == "REKLAME")["active"] is False


@pytest.mark.parametrize("role", [Role.KASI, Role.TIM_KOORDINASI])
def test_other_roles_may_not_change_the_catalogue(
    client: TestClient, tokens: dict[Role, dict[str, str]], role: Role
) -> None:
    before = catalogue_state()

    added = client.post("/api/v1/services", json=NEW, headers=tokens[role])
    edited = client.patch("/api/v1/services/PBG", json={"active": False}, headers=tokens[role])

    assert (added.status_code, edited.status_code) == (403, 403)
    assert "Koordinator" in added.json()["message"]
    assert catalogue_state() == before


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({**NEW, "code": "iujk konstruksi"}, "kode layanan 2 sampai 20 karakter"),
        ({**NEW, "code": "A"}, "kode layanan 2 sampai 20 karakter"),
        ({**NEW, "name": "  "}, "nama layanan minimal 3 karakter"),
        ({**NEW, "name": "x" * 201}, "terlalu panjang"),
        ({**NEW, "group": "swasta"}, "pilihan tidak dikenal"),
        ({"code": "IUJK", "name": "Izin"}, "group: wajib diisi"),
        ({**NEW, "extra": 1}, "tidak dikenal"),
    ],
)
def test_bad_input_is_refused_in_indonesian_and_nothing_changes(
    client: TestClient, tokens: dict[Role, dict[str, str]], body: dict[str, Any], said: str
) -> None:
    before = catalogue_state()

    response = client.post("/api/v1/services", json=body, headers=tokens[Role.KOORDINATOR])

    assert response.status_code == 422, response.text
    assert said in response.json()["message"]
    assert catalogue_state() == before


def test_a_duplicate_code_is_a_conflict_and_changes_nothing(
    client: TestClient, tokens: dict[Role, dict[str, str]]
) -> None:
    client.patch(
        "/api/v1/services/APOTEK", json={"active": False}, headers=tokens[Role.KOORDINATOR]
    )
    before = catalogue_state()
    for code in ("PBG", "APOTEK", "pbg"):  # a withdrawn code, and a code in lower case too
        response = client.post(
            "/api/v1/services", json={**NEW, "code": code}, headers=tokens[Role.ADMIN]
        )
        assert response.status_code == 409, response.text
        assert "sudah ada dalam katalog" in response.json()["message"]
    assert catalogue_state() == before


def test_editing_an_unknown_service_or_badly_is_refused_and_changes_nothing(
    client: TestClient, tokens: dict[Role, dict[str, str]]
) -> None:
    before = catalogue_state()
    koordinator = tokens[Role.KOORDINATOR]

    unknown = client.patch(
        "/api/v1/services/TIDAK-ADA", json={"active": False}, headers=koordinator
    )
    bad = client.patch("/api/v1/services/PBG", json={"group": "swasta"}, headers=koordinator)
    code_change = client.patch("/api/v1/services/PBG", json={"code": "PBG2"}, headers=koordinator)
    empty = client.patch("/api/v1/services/PBG", json={}, headers=koordinator)

    assert unknown.status_code == 404
    assert "tidak ada dalam katalog" in unknown.json()["message"]
    assert (bad.status_code, code_change.status_code, empty.status_code) == (422, 422, 422)
    assert "tidak ada yang diubah" in empty.json()["message"]
    assert catalogue_state() == before


@pytest.mark.both_databases
def test_edits_at_the_same_moment_each_get_their_own_revision(
    configured: dict[str, str], staff: dict[Role, StaffUser]
) -> None:
    """Two editors saving the same entry at once: the row lock orders them, so intake never
    receives two different entries under one revision (it would keep the first, for good)."""

    def save(name: str) -> None:
        with get_db().transaction() as session:
            user = session.get(StaffUser, staff[Role.KOORDINATOR].id)
            assert user is not None
            entries.edit(session, user, "REKLAME", entries.ServicePatch(name=name))

    names = [f"Izin Reklame versi {n}" for n in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(save, names))

    sent = queued_payloads(get_db(), INTAKE_SERVICE_ENTRY_TASK)
    assert sorted(m["revision"] for m in sent) == list(range(2, 10))
    with get_db().sessions() as session:
        last = session.get(CatalogueEntry, "REKLAME")
        assert last is not None
        assert last.revision == 9
        assert last.name == next(m["name"] for m in sent if m["revision"] == 9)
