"""Internal notes on the console's case page: every role has the form, at any step; the note
shows in the history as "Catatan internal"; a refused note is shown again and records nothing."""

from __future__ import annotations

import html
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from services.workflow.database import get_db
from services.workflow.models import Case, CaseEvent, StaffUser
from shared.database.shared_tables import OutboxMessage
from shared.sop import Role
from tests.workflow.console_client import form_paths, log_in, open_console, post_form

TEXT = "Pengadu menelepon <lagi>: berkas sudah dikirim ulang lewat OSS"


@pytest.fixture
def console(configured: dict[str, str]) -> Iterator[TestClient]:
    with open_console() as client:
        yield client


def _counts(case_id: str) -> tuple[int, int]:
    """The case's events and every outbox row."""
    with get_db().sessions() as session:
        events = select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id)
        outbox = select(func.count()).select_from(OutboxMessage)
        return session.scalar(events) or 0, session.scalar(outbox) or 0


def test_a_role_not_at_the_step_notes_the_case_and_staff_read_it_in_the_history(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    url = f"/console/kasus/{case_at_step_1.id}"
    log_in(console, Role.KASI)
    page = console.get(url).text
    assert form_paths(page) == ["note"]
    assert f'action="{url}/catatan"' in page
    assert "tidak pernah ditampilkan atau dikirim kepada pengadu" in page
    events, outbox = _counts(case_at_step_1.id)

    added = post_form(console, f"{url}/catatan", {"text": TEXT})
    assert added.status_code == 303
    assert added.headers["location"] == f"{url}?pesan=catatan#riwayat"
    assert _counts(case_at_step_1.id) == (events + 1, outbox)  # recorded, sent nowhere
    shown = console.get(f"{url}?pesan=catatan").text
    assert "Catatan internal tersimpan" in shown
    assert '<li class="note">' in shown
    assert "Catatan internal di langkah 1 (" in shown
    assert "Isi catatan" in shown and html.escape(TEXT, quote=False) in shown
    assert "<lagi>" not in shown  # the text is escaped, never markup

    log_in(console, Role.ADMIN)  # and the other roles read it
    assert html.escape(TEXT, quote=False) in console.get(url).text


@pytest.mark.parametrize(
    ("text", "says"), [("   ", "wajib diisi"), ("x" * 2001, "terlalu panjang")]
)
def test_an_empty_or_long_note_is_shown_again_and_records_nothing(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case, text: str, says: str
) -> None:
    url = f"/console/kasus/{case_at_step_1.id}"
    log_in(console, Role.TIM_KOORDINASI)
    before = _counts(case_at_step_1.id)
    refused = post_form(console, f"{url}/catatan", {"text": text})
    assert refused.status_code == 422
    assert says in refused.text
    assert 'class="card action other failed" data-path="note"' in refused.text
    assert _counts(case_at_step_1.id) == before


def test_a_note_without_the_forms_csrf_token_is_refused(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    log_in(console, Role.ADMIN)
    before = _counts(case_at_step_1.id)
    refused = console.post(f"/console/kasus/{case_at_step_1.id}/catatan", data={"text": TEXT})
    assert refused.status_code == 403
    assert _counts(case_at_step_1.id) == before


def test_a_note_needs_a_logged_in_staff_member(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    before = _counts(case_at_step_1.id)
    refused = post_form(console, f"/console/kasus/{case_at_step_1.id}/catatan", {"text": TEXT})
    assert refused.status_code == 303
    assert refused.headers["location"] == "/console/masuk"
    assert _counts(case_at_step_1.id) == before


def test_a_note_on_an_unknown_case_is_a_404_page(
    console: TestClient, staff: dict[Role, StaffUser]
) -> None:
    log_in(console, Role.ADMIN)
    missing = post_form(
        console, "/console/kasus/00000000-0000-0000-0000-000000000000/catatan", {"text": TEXT}
    )
    assert missing.status_code == 404
    assert "tidak ditemukan" in missing.text
