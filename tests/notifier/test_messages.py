"""What the complainant (and, for a case arriving in a worklist, the staff member) reads."""

from __future__ import annotations

import pytest

from services.notifier.channels.sms import sms_text
from services.notifier.messages import IncompleteNotification, compose
from shared.messaging.contracts import STAFF_KINDS, NotificationKind, Reporter
from shared.runtime.settings import Settings
from tests.notifier.conftest import NOTE, REPLY_DUE, notification

URL = "https://pengaduan.example.id"
SETTINGS = Settings(
    web={
        "public_intake_url": "https://pengaduan.madiunkota.go.id",
        "public_workflow_url": "https://petugas.madiunkota.go.id",
    }
)


def test_long_answer_is_reproduced_verbatim_and_the_template_around_it_is_wrapped() -> None:
    answer = "Sesuai hasil koordinasi {tim}, " + "izin Anda diproses kembali. " * 20 + "\nSalam."
    msg = notification().model_copy(update={"answer": answer, "subject": "Izin {usaha} tertunda"})

    composed = compose(msg, intake_url=URL)

    assert answer in composed.body
    assert composed.subject == f"Jawaban pengaduan {msg.tracking_code}: Izin {{usaha}} tertunda"
    template_lines = composed.body.replace(answer, "").split("\n")
    assert all(len(line) <= 76 for line in template_lines)
    assert URL in composed.body


def test_every_kind_has_a_template_in_indonesian() -> None:
    for kind in NotificationKind:
        composed = compose(notification(kind), intake_url=URL)
        assert composed.body.startswith("Yth. Siti Aminah,")
        assert "Hormat kami" in composed.body
        assert "PGD-2026-0042" in composed.subject


def test_a_reason_is_reproduced_verbatim_in_the_request_and_the_refusal() -> None:
    for kind in (NotificationKind.INFORMATION_REQUESTED, NotificationKind.DECLINED):
        body = compose(notification(kind), intake_url=URL).body
        assert NOTE in body  # braces in staff text are not template fields


def test_the_reminder_the_close_and_the_request_name_the_reply_deadline() -> None:
    asked = notification(NotificationKind.INFORMATION_REQUESTED).model_copy(
        update={"reply_due_at": REPLY_DUE}
    )
    kinds = (NotificationKind.INFORMATION_REMINDER, NotificationKind.CLOSED_NO_RESPONSE)
    for msg in (asked, *(notification(kind) for kind in kinds)):
        composed = compose(msg, settings=SETTINGS)
        for part in (composed.body, composed.html, sms_text(msg, settings=SETTINGS)):
            assert "18 Desember 2026, 16.00 WIB" in " ".join(part.split()), (msg.kind, part)
    reminder = compose(notification(NotificationKind.INFORMATION_REMINDER), settings=SETTINGS)
    assert "Pengingat" in reminder.subject
    assert "Batas waktu tanggapan: 18 Desember 2026, 16.00 WIB" in reminder.body
    closed = compose(notification(NotificationKind.CLOSED_NO_RESPONSE), settings=SETTINGS)
    assert "ditutup" in closed.subject
    assert "ditutup karena" in closed.body


def test_a_request_without_a_deadline_still_reads_whole() -> None:
    body = compose(notification(NotificationKind.INFORMATION_REQUESTED), settings=SETTINGS).body
    assert "Batas waktu" not in body  # a message queued before deadlines existed


def test_a_reminder_or_close_without_its_deadline_is_incomplete() -> None:
    for kind in (NotificationKind.INFORMATION_REMINDER, NotificationKind.CLOSED_NO_RESPONSE):
        msg = notification(kind).model_copy(update={"reply_due_at": None})
        with pytest.raises(IncompleteNotification):
            compose(msg, settings=SETTINGS)


def test_a_request_or_refusal_without_its_reason_is_incomplete() -> None:
    msg = notification(NotificationKind.DECLINED).model_copy(update={"note": None})
    with pytest.raises(IncompleteNotification):
        compose(msg, intake_url=URL)


def test_every_email_carries_the_tracking_code_and_the_tracking_link_in_both_parts() -> None:
    for kind in NotificationKind:
        if kind in STAFF_KINDS:
            continue  # staff: see below
        composed = compose(notification(kind), settings=SETTINGS)
        link = SETTINGS.web.tracking_url("PGD-2026-0042")
        for part in (composed.body, composed.html):
            assert "PGD-2026-0042" in part
            assert link in part
            assert SETTINGS.web.console_url not in part


def test_staff_arrival_email_links_the_console_never_the_tracking_page() -> None:
    step = "Langkah 2: Menelaah dan memverifikasi pengaduan (standar 5 menit)"
    msg = notification(NotificationKind.WORKLIST_ARRIVAL).model_copy(
        update={"recipient": Reporter(name="Bambang Kasi", email="kasi@dpmptsp.madiun.go.id")}
        | {"note": step}
    )
    composed = compose(msg, settings=SETTINGS)

    assert composed.subject == "Laporan pengaduan PGD-2026-0042 masuk ke daftar kerja Anda"
    assert composed.body.startswith("Yth. Bambang Kasi,")
    for part in (composed.body, composed.html):
        assert SETTINGS.web.console_url in part
        assert "/lacak" not in part
        assert step in part
        assert "daftar kerja" in part


SLA_NOTE = (
    "Langkah 2: Menelaah dan memverifikasi pengaduan serta melaporkan kepada Kabid.\n"
    "Peran: Kepala Seksi (Kasi).\n"
    "Batas waktu: 30 November 2026, 09.05 WIB (standar 5 menit).\n"
    "Terlambat: 3 menit melewati batas waktu."
)


@pytest.mark.parametrize(
    ("kind", "subject", "said"),
    [
        (
            NotificationKind.SLA_WARNING,
            "Peringatan batas waktu Mutu Baku: laporan pengaduan PGD-2026-0042",
            "Peringatan batas waktu Mutu Baku:",
        ),
        (
            NotificationKind.SLA_BREACH,
            "Pelanggaran standar waktu: laporan pengaduan PGD-2026-0042 terlambat",
            "Pelanggaran standar waktu:",
        ),
    ],
)
def test_mutu_baku_emails_to_staff_carry_the_note_and_link_the_console(
    kind: NotificationKind, subject: str, said: str
) -> None:
    msg = notification(kind).model_copy(
        update={"recipient": Reporter(name="Bambang Kabid", email="kabid@dpmptsp.madiun.go.id")}
        | {"note": SLA_NOTE}
    )
    composed = compose(msg, settings=SETTINGS)

    assert composed.subject == subject
    assert composed.body.startswith("Yth. Bambang Kabid,")
    assert SLA_NOTE in composed.body  # verbatim, its lines kept
    assert "Batas waktu: 30 November 2026, 09.05 WIB (standar 5 menit).<br>" in composed.html
    for part in (composed.body, composed.html):
        assert said in part
        assert SETTINGS.web.console_url in part
        assert "/lacak" not in part


DISPOSITION_NOTE = (
    "Disposisi dan arahan:\nPeriksa berkas di OSS & hubungi pengadu <hari ini>.\n\n"
    "Didisposisikan kepada: Rina Kartika (Bidang Perizinan).\n"
    "Batas waktu tindak lanjut: 4 Desember 2026."
)


def test_a_disposition_email_gives_the_member_the_directions_and_due_date() -> None:
    msg = notification(NotificationKind.DISPOSITION_ASSIGNED).model_copy(
        update={"recipient": Reporter(name="Rina Kartika", email="rina@dpmptsp.madiun.go.id")}
        | {"note": DISPOSITION_NOTE}
    )
    composed = compose(msg, settings=SETTINGS)

    assert composed.subject == "Disposisi untuk Anda: laporan pengaduan PGD-2026-0042"
    assert composed.body.startswith("Yth. Rina Kartika,")
    assert DISPOSITION_NOTE in composed.body  # verbatim, its lines kept
    assert "&amp; hubungi pengadu &lt;hari ini&gt;.<br>" in composed.html
    assert "Batas waktu tindak lanjut: 4 Desember 2026." in composed.html
    for part in (composed.body, composed.html):
        assert "memberikan" in part and "disposisi" in part
        assert SETTINGS.web.console_url in part
        assert "/lacak" not in part
    with pytest.raises(IncompleteNotification):
        compose(msg.model_copy(update={"note": None}), settings=SETTINGS)


def test_a_mutu_baku_email_without_its_note_is_incomplete() -> None:
    for kind in (NotificationKind.SLA_WARNING, NotificationKind.SLA_BREACH):
        with pytest.raises(IncompleteNotification):
            compose(notification(kind).model_copy(update={"note": None}), settings=SETTINGS)


def test_verified_tells_the_complainant_the_koordinator_gives_the_disposisi() -> None:
    composed = compose(notification(NotificationKind.VERIFIED), settings=SETTINGS)
    assert composed.subject == "Laporan pengaduan PGD-2026-0042 telah diverifikasi"
    for part in (composed.body, composed.html):
        assert "diverifikasi oleh Kepala Seksi" in part
        assert "Koordinator" in part and "disposisi" in part


def test_html_escapes_untrusted_text_and_keeps_the_answers_line_breaks() -> None:
    answer = '<script>alert("x")</script>\nBaris kedua & ketiga'
    msg = notification().model_copy(
        update={"answer": answer, "subject": "<b>Izin</b>", "recipient": Reporter(name="<i>S</i>")}
    )
    composed = compose(msg, settings=SETTINGS)

    assert "<script>" not in composed.html and "<b>" not in composed.html
    assert "<i>S</i>" not in composed.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;<br>Baris kedua &amp; ketiga" in (
        composed.html
    )
    assert "white-space:pre-wrap" in composed.html
    assert answer in composed.body  # the plain text is not HTML: nothing escaped there
    assert "<b>Izin</b>" in composed.subject


def test_html_is_self_contained_indonesian_with_inline_styles_only() -> None:
    for kind in NotificationKind:
        html = compose(notification(kind), settings=SETTINGS).html
        assert html.startswith("<!DOCTYPE html>")
        assert '<html lang="id">' in html
        assert "<style" not in html and "<link" not in html and "<script" not in html
        assert "src=" not in html and "@import" not in html and "url(" not in html
        assert "Hormat kami" in html
