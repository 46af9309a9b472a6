"""One vocabulary of statuses (issue 21, item 5): the workflow stores the SOP's codes, the same as
intake's; a search by any of them, over the API and in the console, finds the cases holding it;
staff read the staff wording and the complainant the second person."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from services.workflow.cases.paths import take_path
from services.workflow.cases.steps import arrive, complete_step, receive_complaint
from services.workflow.database import get_db
from services.workflow.models import Case, StaffUser
from services.workflow.sla.close_sweep import sweep_closes
from services.workflow.sla.reply_sweep import sweep_replies
from shared.messaging.contracts import StepHandoffV1
from shared.sop import ANSWERED, CLOSED, PATHS, STAFF_STATUS_LABELS, STATUS_LABELS, STEPS, Role
from tests.workflow.conftest import filed_message, login
from tests.workflow.console_client import log_in, open_console

CODE = "PGD-STAT-0001"
ORIGINAL = "PGD-STAT-0000"
FILLED = {
    "verification": "Lengkap",
    "disposition": "Tindak lanjuti",
    "assignees": ["petugas_tim_koordinasi"],
    "answer": "Izin terbit",
}


def _walk_to(staff: dict[Role, StaffUser], case_id: str, number: int) -> None:
    """Complete the steps before ``number`` and let the case arrive there."""
    for done in STEPS[: number - 1]:
        with get_db().transaction() as session:
            payload = {f.name: FILLED[f.name] for f in done.inputs if f.required}
            complete_step(
                session,
                case_id=case_id,
                step_number=done.number,
                user=staff[done.role],
                payload=payload,
            )
        with get_db().transaction() as session:
            arrive(session, StepHandoffV1(case_id=case_id, step=done.number + 1))


def case_holding(status: str, staff: dict[Role, StaffUser]) -> None:
    """A case in ``status``, brought there by the workflow's own steps and paths."""
    with get_db().transaction() as session:
        case_id = receive_complaint(session, filed_message(CODE)).id
    if status in (ANSWERED, CLOSED):
        _walk_to(staff, case_id, len(STEPS))
        last = STEPS[-1]
        with get_db().transaction() as session:
            complete_step(
                session,
                case_id=case_id,
                step_number=last.number,
                user=staff[last.role],
                payload={},
            )
        if status == CLOSED:  # no reopening within the window: the sweep closes it
            with get_db().transaction() as session:
                case = session.get_one(Case, case_id)
                assert case.reopen_until is not None
                sweep_closes(session, case.reopen_until + timedelta(seconds=1))
        return
    step = next((s for s in STEPS if s.status == status), None)
    if step is not None:
        _walk_to(staff, case_id, step.number)
        return
    unanswered = next((p for p in PATHS if p.no_reply and p.no_reply.status == status), None)
    sop_path = unanswered or next(p for p in PATHS if p.status == status)
    if sop_path.name == "mark_duplicate":
        with get_db().transaction() as session:
            receive_complaint(session, filed_message(ORIGINAL))
    _walk_to(staff, case_id, sop_path.step)
    payload = {f.name: "Mohon lengkapi" for f in sop_path.inputs}
    if "original_tracking_code" in payload:
        payload["original_tracking_code"] = ORIGINAL
    with get_db().transaction() as session:
        take_path(
            session,
            case_id=case_id,
            step_number=sop_path.step,
            name=sop_path.name,
            user=staff[STEPS[sop_path.step - 1].role],
            payload=payload,
        )
    if unanswered is not None:  # no reply by the deadline: the sweep closes it
        with get_db().transaction() as session:
            case = session.get_one(Case, case_id)
            assert case.reply_due_at is not None
            sweep_replies(session, case.reply_due_at)


@pytest.mark.parametrize("status", list(STAFF_STATUS_LABELS))
def test_a_search_by_every_status_finds_its_cases(
    status: str, staff: dict[Role, StaffUser], client: TestClient
) -> None:
    case_holding(status, staff)

    api = client.get(
        "/api/v1/cases", params={"status": status}, headers=login(client, Role.KOORDINATOR)
    )
    assert api.status_code == 200, api.text
    [item] = api.json()["items"]
    assert (item["tracking_code"], item["status"]) == (CODE, status)
    assert item["status_label"] == STAFF_STATUS_LABELS[status]

    with open_console() as console:
        log_in(console, Role.KOORDINATOR)
        found = console.get("/console/cari", params={"status": status})
    assert found.status_code == 200
    assert "Hasil: 1 laporan pengaduan" in found.text
    assert CODE in found.text and STAFF_STATUS_LABELS[status] in found.text


def test_the_search_offers_each_status_once_in_the_staff_wording(
    staff: dict[Role, StaffUser],
) -> None:
    with open_console() as console:
        log_in(console, Role.ADMIN)
        form = console.get("/console/cari").text
    select = form[form.index('<select id="status"') :].split("</select>")[0]
    offered = re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', select)
    assert offered == list(STAFF_STATUS_LABELS.items())
    # Closed after the reopening window (issue 23), not the answered case's old code.
    assert dict(offered)["closed"] == "Selesai dan ditutup (masa dibuka kembali berakhir)"


def test_the_complainant_reads_every_status_in_the_second_person() -> None:
    for status, label in STATUS_LABELS.items():
        assert "Anda" in label, status
        assert not re.search(r"\bpengadu\b", label), status  # never "...kepada pengadu"
    for status, label in STAFF_STATUS_LABELS.items():
        assert "Anda" not in label, status
    assert STATUS_LABELS[ANSWERED] == "Jawaban pengaduan telah dikirim kepada Anda"
    assert STAFF_STATUS_LABELS[ANSWERED] == "Jawaban terkirim kepada pengadu"
