"""The console's other pages: the Mutu Baku report (table, SVG chart, CSV), failed
notifications with the Admin's re-send, search; and what every page carries (the content
security policy, no inline script or style, no-store, one h1, a label for every input)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.workflow.cases.notifications import record_delivery
from services.workflow.database import get_db
from services.workflow.models import Case, StaffUser
from services.workflow.sla.chart import TRACK_WIDTH
from shared.database.shared_tables import OutboxMessage
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    RESEND_TASK,
    WORKFLOW_NOTIFIED_TASK,
    Channel,
    NotificationDeliveredV1,
    NotificationKind,
)
from shared.sop import STEPS, Role
from shared.web.pages import CONTENT_SECURITY_POLICY
from tests.support.clock import WIB
from tests.workflow.console_client import form_paths, log_in, open_console, post_form
from tests.workflow.records import breached, completed, seed_case


@pytest.fixture
def console(configured: dict[str, str]) -> Iterator[TestClient]:
    with open_console() as client:
        yield client


def _seed_step_3(minutes: list[float], *, breaches: int) -> None:
    with get_db().transaction() as session:
        case = seed_case(session, "PGD-SLA-0001", datetime(2026, 11, 2, 8, 0, tzinfo=WIB))
        for n, taken in enumerate(minutes):
            completed(session, case, 3, taken, datetime(2026, 11, 2, 9, n, tzinfo=WIB))
        for n in range(breaches):
            breached(session, case, 3, datetime(2026, 11, 2, 10, n, tzinfo=WIB))


def test_the_report_draws_a_bar_per_step_beside_its_table_of_figures(
    console: TestClient, staff: dict[Role, StaffUser]
) -> None:
    _seed_step_3([3, 7], breaches=1)
    log_in(console, Role.KOORDINATOR)
    page = console.get("/console/laporan").text  # this month in WIB: November 2026
    assert 'value="2026-11-01"' in page
    assert 'value="2026-11-30"' in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert "aria-label=" in svg
    assert "<title>" in svg
    bars = re.findall(r'<rect [^>]*class="bar[^"]*" data-step="(\d)"', svg)
    assert bars == [str(s.number) for s in STEPS]
    width = re.search(r'width="([\d.]+)" height="\d+" class="bar short" data-step="3"', svg)
    assert width is not None
    assert float(width.group(1)) == TRACK_WIDTH / 2  # one of two within the standard: half
    assert "Langkah 3 · Koordinator (Kepala Bidang): 50%" in svg

    row = page[page.index('<tr data-step="3">') :]
    row = row[: row.index("</tr>")]
    # Each figure after its column's name, which a phone shows in the row's card.
    cells = re.findall(r'<td class="num"><span class="cell-label"[^>]*>[^<]*</span> ([^<]*)<', row)
    assert cells == ["2", "5", "6,6", "50%", "1"]  # completed, median, p90, within, breaches
    assert 'href="/console/laporan.csv?from=2026-11-01&amp;to=2026-11-30"' in page


def test_the_report_csv_downloads_with_the_session(
    console: TestClient, staff: dict[Role, StaffUser]
) -> None:
    _seed_step_3([3, 7], breaches=1)
    log_in(console, Role.KASI)
    response = console.get("/console/laporan.csv?from=2026-11-01&to=2026-11-30")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert (
        "laporan-mutu-baku-2026-11-01-sd-2026-11-30.csv" in response.headers["content-disposition"]
    )
    lines = response.text.splitlines()
    assert lines[3].startswith("3,Memberikan disposisi")
    assert lines[3].endswith(",2,5,6.6,50,1")


def test_a_wrong_report_range_is_422_in_indonesian(
    console: TestClient, staff: dict[Role, StaffUser]
) -> None:
    log_in(console, Role.ADMIN)
    response = console.get("/console/laporan?from=2026-11-30&to=2026-11-01")
    assert response.status_code == 422
    assert "tidak boleh sebelum tanggal awal" in response.text
    assert "<svg" not in response.text
    bad = console.get("/console/laporan?from=kemarin&to=2026-11-01")
    assert bad.status_code == 422
    assert "format TTTT-BB-HH" in bad.text


def _failed_sms(case: Case) -> uuid.UUID:
    notification_id = uuid.uuid4()
    consume_once(
        get_db(),
        WORKFLOW_NOTIFIED_TASK,
        NotificationDeliveredV1(
            tracking_code=case.tracking_code,
            kind=NotificationKind.ANSWER,
            channel=Channel.SMS,
            status="failed",
            notification_id=notification_id,
            attempts=3,
            detail="gateway SMS: 400 nomor tidak valid",
        ),
        record_delivery,
    )
    return notification_id


def test_the_failed_list_shows_what_was_tried_with_the_fallbacks_marked_cadangan(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    notification_id = uuid.uuid4()
    for channel, status, fallback in [
        (Channel.EMAIL, "failed", False),
        (Channel.SMS, "failed", True),
        (Channel.WHATSAPP, "sent", True),
    ]:
        consume_once(
            get_db(),
            WORKFLOW_NOTIFIED_TASK,
            NotificationDeliveredV1(
                tracking_code=case_at_step_1.tracking_code,
                kind=NotificationKind.ANSWER,
                channel=channel,
                status=status,
                notification_id=notification_id,
                fallback=fallback,
            ),
            record_delivery,
        )

    log_in(console, Role.ADMIN)
    listed = console.get("/console/notifikasi").text
    rows = re.findall(
        r'<tr data-notification-id="[^"]+" data-channel="(\w+)">(.*?)</tr>', listed, re.S
    )
    assert [channel for channel, _ in rows] == ["email", "sms"]
    assert "SMS (cadangan)" in rows[1][1]
    for _, row in rows:
        tried = re.findall(r"<li data-channel=[^>]*>([^<]*)</li>", row)
        assert tried == ["Email: gagal", "SMS (cadangan): gagal", "WhatsApp (cadangan): terkirim"]
    case_page = console.get(f"/console/kasus/{case_at_step_1.id}").text
    assert "Jawaban pengaduan melalui WhatsApp (cadangan): terkirim" in case_page


def _resends() -> list[dict[str, object]]:
    with get_db().sessions() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.task_name == RESEND_TASK))
        return [row.payload for row in rows]


def test_only_the_admin_may_resend_a_failed_notification(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    notification_id = _failed_sms(case_at_step_1)
    resend = f"/console/notifikasi/{notification_id}/sms/kirim-ulang"

    log_in(console, Role.KASI)
    listed = console.get("/console/notifikasi").text
    assert "PGD-TEST-0001" in listed
    assert "gateway SMS: 400 nomor tidak valid" in listed
    assert form_paths(listed) == []  # read-only for the Kasi
    refused = post_form(console, resend)
    assert refused.status_code == 403
    assert "tugas Admin Pengaduan" in refused.text
    assert _resends() == []

    log_in(console, Role.ADMIN)
    assert form_paths(console.get("/console/notifikasi").text) == ["resend"]
    accepted = post_form(console, resend)
    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/console/notifikasi?pesan=kirim-ulang"
    [asked] = _resends()
    assert asked["notification_id"] == str(notification_id)
    assert asked["channel"] == "sms"
    assert asked["requested_by"] == "petugas_admin"
    again = post_form(console, resend)
    assert again.status_code == 409
    assert len(_resends()) == 1
    assert "Tidak ada notifikasi yang gagal" in console.get("/console/notifikasi").text


def test_search_finds_cases_by_text_and_refuses_a_bad_date(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    log_in(console, Role.TIM_KOORDINASI)
    found = console.get("/console/cari?q=izin+usaha&status=received")
    assert found.status_code == 200
    assert f'href="/console/kasus/{case_at_step_1.id}"' in found.text
    assert "Hasil: 1 laporan pengaduan" in found.text
    none = console.get("/console/cari?q=tidak-ada-yang-cocok")
    assert "Hasil: 0 laporan pengaduan" in none.text
    bad = console.get("/console/cari?filed_from=besok")
    assert bad.status_code == 422
    assert "Diajukan sejak" in bad.text
    unknown = console.get("/console/cari?status=hilang")
    assert unknown.status_code == 422


@pytest.mark.parametrize(
    "typed", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "SITI@example.id", "aminah"]
)
def test_search_finds_a_case_by_the_complainants_phone_email_or_name(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case, typed: str
) -> None:
    log_in(console, Role.KASI)
    found = console.get("/console/cari", params={"q": typed})
    assert found.status_code == 200
    assert f'href="/console/kasus/{case_at_step_1.id}"' in found.text
    assert "Hasil: 1 laporan pengaduan" in found.text
    assert "Hasil: 0 laporan pengaduan" in console.get("/console/cari?q=0812-3456").text


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle=", re.IGNORECASE)
FIELD = re.compile(r'<(?:input|textarea|select)\b(?![^>]*type="hidden")[^>]*\bid="([^"]+)"')


def test_every_page_carries_the_policy_no_store_one_h1_and_labelled_fields(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    _failed_sms(case_at_step_1)
    pages = ["/console/masuk"]
    log_in(console, Role.ADMIN)
    pages += [
        "/console",
        f"/console/kasus/{case_at_step_1.id}",
        "/console/cari?q=izin",
        "/console/laporan",
        "/console/notifikasi",
        "/console/tidak-ada",
    ]
    for url in pages:
        response = console.get(url)
        assert response.status_code in (200, 404), url
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, url
        assert response.headers["cache-control"] == "no-store", url
        html = response.text
        assert html.count("<h1") == 1, url
        assert not INLINE_SCRIPT.search(html), url
        assert not STYLE_ATTRIBUTE.search(html), url
        assert "/static/console.css?v=" in html, url
        for field_id in FIELD.findall(html):
            assert f'for="{field_id}"' in html, (url, field_id)


def test_times_and_days_read_as_on_the_portal(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    """One format for people (issue 21, item 8): "30 November 2026, 09.00 WIB", not 30-11-2026."""
    log_in(console, Role.ADMIN)
    case_page = console.get(f"/console/kasus/{case_at_step_1.id}").text
    assert "<dd>30 November 2026, 09.00 WIB</dd>" in case_page  # filed on the office clock
    assert "30-11-2026" not in case_page
    found = console.get("/console/cari?q=izin").text
    assert "30 November 2026, 09.00 WIB" in found
    report = console.get("/console/laporan?from=2026-11-01&to=2026-11-30").text
    assert "1 November 2026 sampai 30 November 2026" in report
