"""Who read whose identity (UU 27/2022): every staff read that shows a complainant's name or
contacts (the case API, the console's case page, the API's search and worklist, a receipt read
again) is recorded in the request's transaction with who, when and where; a read that shows
"Identitas dirahasiakan" or "Anonim" is not. Only the Admin Pengaduan lists them: through the
API and on the console's case page."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from services.workflow.api.app import create_app
from services.workflow.cases.steps import receive_complaint
from services.workflow.cases.taking import take_complaint
from services.workflow.database import get_db
from services.workflow.models import IdentityRead, StaffUser
from shared.messaging.contracts import ComplaintFiledV1, Identity, ReceivedVia, Reporter
from shared.messaging.contracts.filing import ComplaintIn
from shared.sop import Role
from tests.support.clock import TestClock
from tests.workflow.conftest import filed_message, login
from tests.workflow.console_client import log_in, open_console

READ_AT = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # a Tuesday, 10:00 WIB
SHOWN, CONFIDENTIAL, ANONYMOUS = "PGD-SHOW-0001", "PGD-RAHA-0001", "PGD-ANON-0001"


def _filing(code: str, mode: Identity) -> ComplaintFiledV1:
    fields = {**filed_message(code).model_dump(), "identity": mode}
    if mode is Identity.ANONYMOUS:
        fields.update(reporter=None, channels=("app",))
    return ComplaintFiledV1.model_validate(fields)


@pytest.fixture
def cases(staff: dict[Role, StaffUser], office_clock: TestClock) -> dict[str, str]:
    """Three cases at step 1 (the Admin's worklist): shown, confidential and anonymous."""
    with get_db().transaction() as session:
        ids = {
            code: receive_complaint(session, _filing(code, mode)).id
            for code, mode in (
                (SHOWN, Identity.SHOWN),
                (CONFIDENTIAL, Identity.CONFIDENTIAL),
                (ANONYMOUS, Identity.ANONYMOUS),
            )
        }
    office_clock.freeze_at(READ_AT)
    return ids


@pytest.fixture
def api(cases: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


def _reads() -> list[tuple[str, str, str, str, datetime]]:
    """Every read on record: (case_id, username, role, via, read_at), in the order made."""
    with get_db().sessions() as session:
        return [
            (r.case_id, r.username, r.role, r.via, r.read_at)
            for r in session.scalars(select(IdentityRead).order_by(IdentityRead.id))
        ]


def test_each_read_that_shows_the_identity_is_recorded_and_no_other(
    api: TestClient, cases: dict[str, str]
) -> None:
    kasi, admin = login(api, Role.KASI), login(api, Role.ADMIN)
    for code in (SHOWN, CONFIDENTIAL, ANONYMOUS):
        assert api.get(f"/api/v1/cases/{cases[code]}", headers=kasi).status_code == 200
    assert _reads() == [(cases[SHOWN], "petugas_kasi", "kasi", "api_case", READ_AT)]

    assert api.get(f"/api/v1/cases/{cases[CONFIDENTIAL]}", headers=admin).status_code == 200
    assert api.get(f"/api/v1/cases/{cases[ANONYMOUS]}", headers=admin).status_code == 200
    listed = api.get("/api/v1/cases", params={"q": "Izin usaha"}, headers=kasi).json()
    assert {item["tracking_code"] for item in listed["items"]} == {SHOWN, CONFIDENTIAL, ANONYMOUS}
    worklist = api.get("/api/v1/worklist", headers=admin).json()
    assert len(worklist) == 3
    assert api.get("/api/v1/cases/tidak-ada", headers=admin).status_code == 404

    assert _reads()[1:] == [
        (cases[CONFIDENTIAL], "petugas_admin", "admin", "api_case", READ_AT),
        (cases[SHOWN], "petugas_kasi", "kasi", "api_search", READ_AT),  # not the withheld one
        (cases[SHOWN], "petugas_admin", "admin", "api_worklist", READ_AT),
        (cases[CONFIDENTIAL], "petugas_admin", "admin", "api_worklist", READ_AT),
    ]


def test_the_console_case_page_is_a_read_and_the_admin_sees_who_read(
    api: TestClient, cases: dict[str, str]
) -> None:
    with open_console() as console:
        log_in(console, Role.KOORDINATOR)
        coordinator_page = console.get(f"/console/kasus/{cases[SHOWN]}").text
        console.get(f"/console/kasus/{cases[CONFIDENTIAL]}")  # "Identitas dirahasiakan"
        log_in(console, Role.ADMIN)
        admin_page = console.get(f"/console/kasus/{cases[SHOWN]}").text

    assert "Siti Aminah" in coordinator_page
    assert "Riwayat akses identitas" not in coordinator_page
    assert [(r[1], r[3]) for r in _reads()] == [
        ("petugas_koordinator", "console_case"),
        ("petugas_admin", "console_case"),
    ]
    section = admin_page[admin_page.index('id="akses-identitas"') :]
    lines = [
        " ".join(re.sub(r"<[^>]+>", " ", line).split())
        for line in re.findall(r"<li>(.*?)</li>", section, re.S)
    ]
    # Newest first; the Admin's own read of the page is on it.
    assert lines == [
        "1 Desember 2026, 10.00 WIB petugas_admin (Admin Pengaduan) Halaman laporan (konsol)",
        "1 Desember 2026, 10.00 WIB petugas_koordinator (Koordinator (Kepala Bidang)) "
        "Halaman laporan (konsol)",
    ]


def test_only_the_admin_lists_the_reads(api: TestClient, cases: dict[str, str]) -> None:
    kasi, admin = login(api, Role.KASI), login(api, Role.ADMIN)
    api.get(f"/api/v1/cases/{cases[SHOWN]}", headers=kasi)
    url = f"/api/v1/cases/{cases[SHOWN]}/identity-reads"

    listed = api.get(url, headers=admin)

    assert listed.status_code == 200, listed.text
    assert listed.json() == [
        {
            "username": "petugas_kasi",
            "full_name": "petugas_kasi",
            "role": "kasi",
            "role_label": "Kepala Seksi (Kasi)",
            "read_at": "2026-12-01T03:00:00Z",
            "via": "api_case",
            "via_label": "Data laporan (API)",
        }
    ]
    for role in (Role.KASI, Role.KOORDINATOR, Role.TIM_KOORDINASI):
        refused = api.get(url, headers=login(api, role))
        assert refused.status_code == 403
        assert "hanya dapat dilihat Admin Pengaduan" in refused.text
    assert api.get("/api/v1/cases/tidak-ada/identity-reads", headers=admin).status_code == 404
    assert api.get(url).status_code == 401
    assert len(_reads()) == 1  # listing the reads reads no identity


def test_a_receipt_read_again_is_a_read_once_the_case_exists(
    staff: dict[Role, StaffUser], cases: dict[str, str]
) -> None:
    with get_db().transaction() as session:
        admin = session.get(StaffUser, staff[Role.ADMIN].id)
        assert admin is not None
        taken = take_complaint(
            session,
            taking_id=uuid.uuid4(),
            data=ComplaintIn.model_validate(
                {
                    "reporter": {"name": "Pak Slamet", "phone": "0812 3456 7890"},
                    "subject": "Izin reklame belum terbit",
                    "description": "Disampaikan lewat telepon ke loket pengaduan.",
                    "channels": ["sms"],
                    "consent": True,
                }
            ),
            received_via=ReceivedVia.TELEPON,
            user=admin,
        )
        taking_id, code = taken.record.id, taken.record.tracking_code
    receipt = f"/console/catat/{taking_id}/tanda-terima"
    with open_console() as console:
        log_in(console, Role.ADMIN)
        assert console.get(receipt).status_code == 200  # intake has not filed it yet
        assert _reads() == []
        with get_db().transaction() as session:
            filed = ComplaintFiledV1.model_validate(
                {
                    **filed_message(code).model_dump(),
                    "reporter": Reporter(name="Pak Slamet", phone="+6281234567890"),
                }
            )
            case_id = receive_complaint(session, filed).id
        assert "Pak Slamet" in console.get(receipt).text
    assert _reads() == [(case_id, "petugas_admin", "admin", "console_receipt", READ_AT)]


def test_a_read_whose_request_fails_leaves_no_record(
    api: TestClient, cases: dict[str, str]
) -> None:
    with get_db().sessions() as session:
        assert session.scalar(select(func.count()).select_from(IdentityRead)) == 0
    bad = api.get("/api/v1/cases", params={"status": "tidak-ada"}, headers=login(api, Role.ADMIN))
    assert bad.status_code == 422
    assert _reads() == []


def test_a_worklist_records_a_read_for_exactly_the_cases_it_shows_in_one_statement(
    api: TestClient, cases: dict[str, str]
) -> None:
    """A desk's worklist lists hundreds of cases: its reads are one INSERT and its cases one
    SELECT however many it shows (a statement per case made it cost seconds, BENCHMARKS.md)."""
    with get_db().transaction() as session:
        about_pbg = {
            receive_complaint(
                session,
                _filing(f"PGD-LAYN-{n:04d}", mode).model_copy(update={"service_code": "PBG"}),
            ).id
            for n, mode in enumerate([Identity.SHOWN] * 20 + [Identity.ANONYMOUS] * 2, start=1)
        }
    admin = login(api, Role.ADMIN)
    statements: list[str] = []

    def seen(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(get_db().engine, "before_cursor_execute", seen)
    try:
        only_pbg = api.get("/api/v1/worklist?service_code=pbg", headers=admin).json()
    finally:
        event.remove(get_db().engine, "before_cursor_execute", seen)

    assert {item["case_id"] for item in only_pbg} == about_pbg
    named = {item["case_id"] for item in only_pbg if item["identity"] == "shown"}
    assert len(named) == 20
    assert sorted(r[0] for r in _reads()) == sorted(named)  # one each, none of the others
    assert {r[1:] for r in _reads()} == {("petugas_admin", "admin", "api_worklist", READ_AT)}
    assert sum("identity_reads" in s for s in statements) == 1
    assert sum(s.lstrip().startswith("SELECT") and "FROM cases" in s for s in statements) == 1
