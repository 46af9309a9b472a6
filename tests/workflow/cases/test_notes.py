"""Internal notes: any role notes anything on any case at any step; the note is on the record
for staff, changes nothing of the case and sends nothing anywhere."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from services.workflow.cases.notes import NOTE_MAX_LENGTH
from services.workflow.cases.paths import take_path
from services.workflow.cases.steps import arrive, complete_step
from services.workflow.database import get_db
from services.workflow.models import Case, CaseEvent, StaffUser
from shared.database.shared_tables import OutboxMessage
from shared.messaging.contracts import StepHandoffV1
from shared.sop import Role
from tests.workflow.conftest import login

TEXT = "Pengadu menelepon: berkas sudah dikirim ulang lewat OSS"


def _outbox_rows() -> int:
    with get_db().sessions() as session:
        return session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def _case(case_id: str) -> tuple[int | None, str, int]:
    with get_db().sessions() as session:
        case = session.get_one(Case, case_id)
        return case.current_step, case.status, case.version


def _events(case_id: str) -> int:
    with get_db().sessions() as session:
        count = select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id)
        return session.scalar(count) or 0


@pytest.mark.parametrize("role", list(Role))
def test_any_role_adds_a_note_at_any_step_and_nothing_else_changes(
    client: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case, role: Role
) -> None:
    before = (_case(case_at_step_1.id), _outbox_rows())
    response = client.post(
        f"/api/v1/cases/{case_at_step_1.id}/notes",
        json={"text": f"  {TEXT}  "},
        headers=login(client, role),
    )
    assert response.status_code == 201, response.text
    note = response.json()
    assert note["kind"] == "note"
    assert note["input"] == {"text": TEXT}  # as recorded: without the spaces around
    assert (note["actor"], note["role"], note["step"]) == (f"petugas_{role.value}", role.value, 1)
    assert note["actor_label"].startswith(f"petugas_{role.value}, ")
    assert note["output"] is None and note["minutes_taken"] is None
    # The case stays where it was, and no message leaves the workflow for anyone.
    assert (_case(case_at_step_1.id), _outbox_rows()) == before

    history = client.get(
        f"/api/v1/cases/{case_at_step_1.id}/history", headers=login(client, Role.KASI)
    ).json()["events"]
    assert history[-1] == note
    assert (
        client.get(f"/api/v1/cases/{case_at_step_1.id}", headers=login(client, Role.ADMIN)).json()[
            "history"
        ][-1]
        == note
    )


def test_a_closed_case_takes_a_note_without_a_step(
    client: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    case_id = case_at_step_1.id
    with get_db().transaction() as session:
        complete_step(session, case_id=case_id, step_number=1, user=staff[Role.ADMIN], payload={})
        arrive(session, StepHandoffV1(case_id=case_id, step=2))
    with get_db().transaction() as session:
        take_path(
            session,
            case_id=case_id,
            step_number=2,
            name="decline",
            user=staff[Role.KASI],
            payload={"reason": "Bukan pengaduan perizinan"},
        )
    before = _outbox_rows()
    response = client.post(
        f"/api/v1/cases/{case_id}/notes",
        json={"text": "Pengadu diarahkan ke Disdukcapil"},
        headers=login(client, Role.KOORDINATOR),
    )
    assert response.status_code == 201, response.text
    assert response.json()["step"] is None
    assert _case(case_id)[:2] == (None, "declined")
    assert _outbox_rows() == before


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"text": ""}, "Catatan internal (text) wajib diisi"),
        ({"text": " \n\t "}, "Catatan internal (text) wajib diisi"),
        ({}, "Catatan internal (text) wajib diisi"),
        ({"text": "x" * (NOTE_MAX_LENGTH + 1)}, "Catatan internal (text) terlalu panjang"),
        ({"text": "Catatan", "to": "pengadu"}, "isian 'to' tidak dikenal"),
        ({"text": 5}, "Catatan internal (text)"),
    ],
)
def test_an_empty_or_long_note_is_422_and_records_nothing(
    client: TestClient,
    staff: dict[Role, StaffUser],
    case_at_step_1: Case,
    body: dict,
    says: str,
) -> None:
    before = _events(case_at_step_1.id)
    response = client.post(
        f"/api/v1/cases/{case_at_step_1.id}/notes", json=body, headers=login(client, Role.ADMIN)
    )
    assert response.status_code == 422, response.text
    assert says in response.json()["message"]
    assert _events(case_at_step_1.id) == before


def test_a_note_of_the_longest_length_is_kept_whole(
    client: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    text = "catatan " * (NOTE_MAX_LENGTH // 8)
    response = client.post(
        f"/api/v1/cases/{case_at_step_1.id}/notes",
        json={"text": text},
        headers=login(client, Role.ADMIN),
    )
    assert response.status_code == 201, response.text
    assert response.json()["input"]["text"] == text.strip()


@pytest.mark.parametrize("case_id", ["00000000-0000-0000-0000-000000000000", "bukan-id", "a%00b"])
def test_a_note_on_an_unknown_case_is_404(
    client: TestClient, staff: dict[Role, StaffUser], case_id: str
) -> None:
    response = client.post(
        f"/api/v1/cases/{case_id}/notes", json={"text": TEXT}, headers=login(client, Role.ADMIN)
    )
    assert response.status_code == 404, response.text
    assert response.json()["message"] == "Laporan pengaduan tidak ditemukan"


def test_a_note_needs_a_token(client: TestClient, case_at_step_1: Case) -> None:
    before = _events(case_at_step_1.id)
    response = client.post(f"/api/v1/cases/{case_at_step_1.id}/notes", json={"text": TEXT})
    assert response.status_code == 401
    assert _events(case_at_step_1.id) == before
