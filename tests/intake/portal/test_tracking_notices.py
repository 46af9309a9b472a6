"""What the tracking page says of the case: its events and the officers' own words as short
lines, the app channel's notices one line each (never an email's text), and a notice that
reached none of the complainant's channels, with what to do."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient

from services.intake.database import get_db
from services.intake.tracking.notices import record_delivered, record_undeliverable
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    INTAKE_DELIVERED_TASK,
    INTAKE_UNDELIVERABLE_TASK,
    Channel,
    NoticeDeliveredV1,
    NoticeUndeliverableV1,
    NotificationKind,
)
from tests.intake.conftest import deliver, inbox_message
from tests.intake.portal.conftest import (
    REQUEST_NOTE,
    by_id,
    file_through_form,
    form,
    open_tracking,
    set_status,
)
from tests.intake.portal.test_tracking_pages import read_until_status
from tests.support.sse import events

EMAIL_BODY = (
    "Yth. Budi Santoso,\n\nLaporan pengaduan Anda sedang ditelaah dan diverifikasi oleh Kepala\n"
    "Seksi.\n\nPesan ini dikirim otomatis oleh Sistem Pengaduan; mohon tidak membalas pesan ini."
)


def tracked_with(portal: TestClient, **overrides: object) -> str:
    code, token = file_through_form(portal, **overrides)
    assert open_tracking(portal, code, token).status_code == 303
    return code


def timeline_text(page: str) -> str:
    found = re.search(r'<section id="riwayat".*?</section>', page, re.S)
    assert found, "no timeline on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0)))


def test_the_timeline_gives_the_officers_request_and_the_complainants_reply(
    portal: TestClient,
) -> None:
    code = tracked_with(portal)
    set_status(code, "information_requested", note=REQUEST_NOTE)
    portal.post(f"/lacak/{code}/balasan", data=form(portal, message="Nomor: 503/0123/IUMK/2026"))

    timeline = timeline_text(portal.get(f"/lacak/{code}").text)
    assert f"Permintaan petugas: {REQUEST_NOTE}" in timeline
    assert "Balasan Anda: Nomor: 503/0123/IUMK/2026" in timeline


def test_a_decline_says_why_and_where_to_turn(portal: TestClient) -> None:
    code = tracked_with(portal)
    note = "Perizinan reklame bukan kewenangan DPMPTSP.\nInstansi yang berwenang: Bapenda"
    set_status(code, "declined", note=note)

    timeline = timeline_text(portal.get(f"/lacak/{code}").text)
    assert "Alasan: Perizinan reklame bukan kewenangan DPMPTSP." in timeline
    assert "Instansi yang berwenang: Bapenda" in timeline


def test_app_notices_are_one_line_each_never_the_email_text(portal: TestClient) -> None:
    code = tracked_with(portal, channels=["email", "app"])
    for title in ("Laporan pengaduan Anda diterima", "Laporan pengaduan Anda diverifikasi"):
        deliver(inbox_message(code, kind="verified", title=title, body=EMAIL_BODY))

    page = portal.get(f"/lacak/{code}").text
    notices = re.findall(r'<li data-pesan="\d+"><span class="title">([^<]+)</span>', page)
    assert notices == ["Laporan pengaduan Anda diterima", "Laporan pengaduan Anda diverifikasi"]
    assert "mohon tidak membalas" not in page
    assert "Yth. Budi Santoso" not in page
    assert by_id(page, "pemberitahuan-judul") == "Pemberitahuan di aplikasi"


def test_without_the_app_channel_the_page_names_the_channels_and_lists_no_notices(
    portal: TestClient,
) -> None:
    code = tracked_with(portal, channels=["email", "sms"])
    page = portal.get(f"/lacak/{code}").text
    assert "<dt>Pemberitahuan melalui</dt><dd>Email dan SMS</dd>" in page
    assert 'id="pemberitahuan"' not in page


def undeliverable(code: str, *channels: Channel) -> NoticeUndeliverableV1:
    return NoticeUndeliverableV1(
        tracking_code=code,
        notification_id=uuid.uuid4(),
        kind=NotificationKind.VERIFIED,
        channels=channels,
    )


def test_a_notice_that_reached_no_channel_is_said_with_what_to_do(portal: TestClient) -> None:
    code = tracked_with(portal, channels=["email", "sms"])
    assert "Pemberitahuan tidak sampai" not in portal.get(f"/lacak/{code}").text

    notice = undeliverable(code, Channel.EMAIL, Channel.SMS)
    for _ in range(2):  # redelivered: said once
        consume_once(get_db(), INTAKE_UNDELIVERABLE_TASK, notice, record_undeliverable)

    page = portal.get(f"/lacak/{code}").text
    warning = re.search(r'<div id="bagian-gagal".*?</div>', page, re.S)
    assert warning, "no warning part on the page"
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", warning.group(0)))
    assert "Pemberitahuan tidak sampai kepada Anda" in text
    assert text.count("Pemberitahuan laporan diverifikasi tidak dapat kami kirim") == 1
    assert "ke email dan SMS Anda" in text
    assert "Periksa alamat email budi@example.id dan nomor HP +6281234567890" in text
    assert "hubungi Admin Pengaduan DPMPTSP Kota Madiun pada jam kerja" in text
    assert code in text


def test_a_resend_that_got_through_takes_the_warning_away(portal: TestClient) -> None:
    code = tracked_with(portal, channels=["sms"])
    notice = undeliverable(code, Channel.SMS)
    consume_once(get_db(), INTAKE_UNDELIVERABLE_TASK, notice, record_undeliverable)
    assert "Pemberitahuan tidak sampai" in portal.get(f"/lacak/{code}").text

    delivered = NoticeDeliveredV1(
        tracking_code=code, notification_id=notice.notification_id, channel=Channel.SMS
    )
    consume_once(get_db(), INTAKE_DELIVERED_TASK, delivered, record_delivered)
    assert "Pemberitahuan tidak sampai" not in portal.get(f"/lacak/{code}").text


def test_a_live_page_hears_of_a_notice_that_reached_no_channel(portal: TestClient) -> None:
    code = tracked_with(portal, channels=["sms"])
    with portal.stream("GET", f"/lacak/{code}/events") as response:
        stream = events(response.iter_lines())
        read_until_status(stream)
        notice = undeliverable(code, Channel.SMS)
        consume_once(get_db(), INTAKE_UNDELIVERABLE_TASK, notice, record_undeliverable)
        # The same status again: the page reads itself anew and shows the warning.
        again = read_until_status(stream)
    assert again[-1].json()["status"] == "submitted"


def test_the_api_gives_the_notices_that_reached_no_channel(portal: TestClient) -> None:
    code, token = file_through_form(portal, channels=["email", "sms"])
    track = {"X-Access-Token": token}
    assert (
        portal.get(f"/api/v1/complaints/{code}", headers=track).json()["undelivered_notices"] == []
    )

    notice = undeliverable(code, Channel.EMAIL, Channel.SMS)
    consume_once(get_db(), INTAKE_UNDELIVERABLE_TASK, notice, record_undeliverable)
    [told] = portal.get(f"/api/v1/complaints/{code}", headers=track).json()["undelivered_notices"]
    assert (told["kind"], told["channels"]) == ("verified", ["email", "sms"])
