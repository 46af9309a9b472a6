"""The Koordinator's disposition addressed to named Tim Koordinasi members (step 3's
``assignees`` and ``due_date``): what is refused and how it is said, what the record and the
case keep, whose worklist shows the case first, and who is emailed. The workflow's clock stands
at Monday 30 November 2026, 09.00 WIB (``office_clock``)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.workflow.cases.history import events_of
from services.workflow.cases.steps import arrive
from services.workflow.database import get_db
from services.workflow.models import Case, StaffUser
from shared.messaging.contracts import NOTIFY_TASK, NotificationKind, StepHandoffV1
from shared.sop import Role
from tests.support.outbox import queued_payloads
from tests.workflow.conftest import PASSWORD, at_step_3, login

DIRECTIONS = "Koordinasikan dengan Bidang Perizinan; hubungi pengadu hari ini."


def dispose(client: TestClient, case_id: str, body: dict[str, Any]) -> Any:
    return client.post(
        f"/api/v1/cases/{case_id}/steps/3", json=body, headers=login(client, Role.KOORDINATOR)
    )


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"assignees": ["rina", "hantu"]}, "petugas 'hantu' tidak dikenal"),
        ({"assignees": ["lama"]}, "petugas 'lama' tidak aktif"),
        ({"assignees": ["sari"]}, "petugas 'sari' bukan anggota Tim Koordinasi Perizinan"),
        ({"assignees": []}, "Didisposisikan kepada (assignees) wajib diisi"),
        ({}, "Didisposisikan kepada (assignees) wajib diisi"),
        ({"assignees": "rina"}, "Didisposisikan kepada (assignees) harus daftar nama pengguna"),
        ({"assignees": ["ri\x00na"]}, "Didisposisikan kepada (assignees) harus daftar nama"),
        (
            {"assignees": ["rina"], "due_date": "2026-11-29"},
            "Batas waktu tindak lanjut (due_date) 29 November 2026 sudah lewat; paling awal "
            "hari ini, 30 November 2026",
        ),
        (
            {"assignees": ["rina"], "due_date": "besok"},
            "Batas waktu tindak lanjut (due_date) harus tanggal",
        ),
    ],
)
def test_a_disposition_to_no_one_allowed_is_422_naming_the_problem(
    client: TestClient,
    staff: dict[Role, StaffUser],
    members: dict[str, StaffUser],
    body: dict[str, Any],
    said: str,
) -> None:
    case_id = at_step_3(staff)
    response = dispose(client, case_id, {"disposition": DIRECTIONS, **body})
    assert response.status_code == 422, response.text
    assert said in response.json()["message"]
    with get_db().sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.current_step == 3 and case.assignees is None
        assert [e.kind for e in events_of(session, case_id)][-1] == "arrived"
    assert queued_payloads(get_db(), "workflow.step.4.arrive") == []


def test_the_record_and_the_case_name_the_members_and_the_due_date(
    client: TestClient, staff: dict[Role, StaffUser], members: dict[str, StaffUser]
) -> None:
    case_id = at_step_3(staff)
    response = dispose(
        client,
        case_id,
        {
            "disposition": DIRECTIONS,
            "assignees": [" rina ", "joko", "rina"],
            "due_date": "2026-11-30",
        },
    )
    assert response.status_code == 202, response.text
    with get_db().sessions() as session:
        [done] = [e for e in events_of(session, case_id) if e.kind == "completed" and e.step == 3]
        assert done.input == {
            "disposition": DIRECTIONS,
            "assignees": ["rina", "joko"],
            "due_date": "2026-11-30",
        }
    shown = client.get(f"/api/v1/cases/{case_id}", headers=login(client, Role.ADMIN)).json()
    assert shown["assignees"] == [
        {"username": "rina", "full_name": "Rina Kartika", "unit": "Bidang Perizinan"},
        {"username": "joko", "full_name": "Joko Susilo", "unit": "Seksi Pengaduan"},
    ]
    assert shown["due_date"] == "2026-11-30"


def test_the_named_members_are_emailed_with_the_directions_and_due_date(
    client: TestClient, staff: dict[Role, StaffUser], members: dict[str, StaffUser]
) -> None:
    case_id = at_step_3(staff)
    body = {"disposition": DIRECTIONS, "assignees": ["rina", "joko"], "due_date": "2026-12-03"}
    assert dispose(client, case_id, body).status_code == 202
    told = [
        n
        for n in queued_payloads(get_db(), NOTIFY_TASK)
        if n["kind"] == NotificationKind.DISPOSITION_ASSIGNED
    ]
    # Joko has no address: only Rina is emailed.
    [sent] = told
    assert sent["recipient"] == {
        "name": "Rina Kartika",
        "email": "rina@dpmptsp.example.id",
        "phone": None,
    }
    assert sent["channels"] == ["email"]
    assert DIRECTIONS in sent["note"]
    assert "Rina Kartika (Bidang Perizinan), Joko Susilo (Seksi Pengaduan)" in sent["note"]
    assert "Batas waktu tindak lanjut: 3 Desember 2026." in sent["note"]


def test_the_named_member_sees_the_case_first_and_others_still_see_it(
    client: TestClient, staff: dict[Role, StaffUser], members: dict[str, StaffUser]
) -> None:
    # The older case goes to the whole team, the newer one is addressed to Joko.
    older = at_step_3(staff, "PGD-DISP-0001")
    newer = at_step_3(staff, "PGD-DISP-0002")
    for case_id, member in ((older, "rina"), (newer, "joko")):
        body = {"disposition": DIRECTIONS, "assignees": [member]}
        assert dispose(client, case_id, body).status_code == 202
    for case_id in (older, newer):
        with get_db().transaction() as session:
            arrive(session, StepHandoffV1(case_id=case_id, step=4))

    def as_member(username: str) -> dict[str, str]:
        token = client.post(
            "/api/v1/auth/token", data={"username": username, "password": PASSWORD}
        ).json()["access_token"]
        return {"Authorization": f"Bearer {token}"}

    def worklist(username: str) -> list[tuple[str, bool]]:
        items = client.get("/api/v1/worklist", headers=as_member(username)).json()
        return [(i["case_id"], i["assigned_to_me"]) for i in items]

    assert worklist("joko") == [(newer, True), (older, False)]
    assert worklist("rina") == [(older, True), (newer, False)]
    assert worklist("petugas_tim_koordinasi") == [(older, False), (newer, False)]
    # Joko takes it up; the record names him with his role and unit.
    assert client.post(f"/api/v1/cases/{newer}/claim", headers=as_member("joko")).status_code == 200
    history = client.get(f"/api/v1/cases/{newer}", headers=as_member("rina")).json()["history"]
    [claimed] = [e for e in history if e["kind"] == "claimed"]
    assert (
        claimed["actor_label"] == "Joko Susilo, Tim Koordinasi Perizinan DPMPTSP, Seksi Pengaduan"
    )
