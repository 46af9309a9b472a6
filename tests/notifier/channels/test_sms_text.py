"""What an SMS says and what it costs: GSM-7 or UCS-2 by its characters, at most three segments
with a link to the tracking page, the wording for each kind of notification."""

from __future__ import annotations

import pytest

from services.notifier.channels.sms import sms_text
from services.notifier.channels.sms_text import fit, measure
from shared.messaging.contracts import NotificationKind
from shared.runtime.settings import Settings
from tests.notifier.conftest import notification

URL = "https://pengaduan.example.id"
PAGE = f"{URL}/lacak?kode=PGD-2026-0042"


def test_plain_indonesian_text_is_gsm7() -> None:
    assert measure("Pengaduan Anda diterima.") == measure("Pengaduan Anda diterima.")
    one = measure("a" * 160)
    assert (one.encoding, one.units, one.segments) == ("GSM-7", 160, 1)
    assert measure("a" * 161).segments == 2  # 153 septets per part once concatenated
    assert measure("a" * 306).segments == 2
    assert measure("a" * 307).segments == 3


def test_extension_characters_take_two_septets() -> None:
    text = "€" + "a" * 158  # 2 + 158 = 160 septets: still one segment
    assert (measure(text).encoding, measure(text).units, measure(text).segments) == (
        "GSM-7",
        160,
        1,
    )
    assert measure("{" + "a" * 159).segments == 2


@pytest.mark.parametrize("special", ["🙂", "سلام", "—"])
def test_characters_outside_gsm7_switch_to_ucs2(special: str) -> None:
    text = special + "a" * 60
    length = measure(text)
    assert length.encoding == "UCS-2"
    assert length.units == len(text.encode("utf-16-le")) // 2
    assert measure("🙂" * 35).units == 70 and measure("🙂" * 35).segments == 1
    assert measure("🙂" * 36).segments == 2  # 72 code units: 67 per part


def test_long_text_is_shortened_to_three_segments_with_a_link() -> None:
    long_gsm = "Izin usaha Anda diproses kembali oleh tim. " * 20
    short = fit(long_gsm, link=URL)
    assert measure(short).segments <= 3
    assert short.endswith(f"... Selengkapnya: {URL}")
    assert len(short) > 400  # uses the room it has (3 x 153 septets)
    assert long_gsm.startswith(short.removesuffix(f"... Selengkapnya: {URL}"))

    long_ucs2 = "Izin usaha Anda — diproses kembali. " * 20
    short = fit(long_ucs2, link=URL)
    assert (measure(short).encoding, measure(short).segments) == ("UCS-2", 3)
    assert short.endswith(URL)
    assert fit("Singkat.", link=URL) == "Singkat."


def test_sms_text_of_a_long_answer_fits_three_segments_and_points_to_the_tracking_page() -> None:
    msg = notification().model_copy(update={"answer": "Izin usaha Anda diproses. " * 40})
    text = sms_text(msg, intake_url=URL)
    assert measure(text).segments <= 3
    assert text.startswith(f"Jawaban pengaduan {msg.tracking_code}: Izin usaha")
    assert text.endswith(f"Selengkapnya: {PAGE}")
    for kind in NotificationKind:
        assert msg.tracking_code in sms_text(notification(kind), intake_url=URL)


def test_sms_for_a_verified_complaint_and_a_staff_arrival() -> None:
    settings = Settings(
        web={"public_intake_url": URL, "public_workflow_url": "https://petugas.example.id"}
    )
    verified = sms_text(notification(NotificationKind.VERIFIED), settings=settings)
    assert verified.startswith("Pengaduan PGD-2026-0042 telah diverifikasi Kasi")
    assert "Koordinator untuk disposisi" in verified and PAGE in verified

    step = "Langkah 2: Menelaah dan memverifikasi pengaduan (standar 5 menit)"
    arrival = notification(NotificationKind.WORKLIST_ARRIVAL).model_copy(update={"note": step})
    text = sms_text(arrival, settings=settings)
    assert f"masuk ke daftar kerja Anda ({step})" in text
    assert settings.web.console_url in text and "/lacak" not in text
    for msg in (verified, text):
        assert measure(msg) == measure(msg) and measure(msg).encoding == "GSM-7"


def test_sms_for_a_mutu_baku_warning_and_breach_runs_the_note_into_one_line() -> None:
    settings = Settings(
        web={"public_intake_url": URL, "public_workflow_url": "https://petugas.example.id"}
    )
    note = "Langkah 3: Memberikan disposisi.\nBatas waktu: 30 November 2026, 09.05 WIB."
    for kind, opening in (
        (NotificationKind.SLA_WARNING, "Peringatan Mutu Baku: laporan pengaduan PGD-2026-0042"),
        (NotificationKind.SLA_BREACH, "Pelanggaran standar waktu: laporan pengaduan PGD-2026-0042"),
    ):
        text = sms_text(notification(kind).model_copy(update={"note": note}), settings=settings)
        assert text.startswith(opening)
        assert "disposisi. Batas waktu: 30 November 2026, 09.05 WIB." in text
        assert settings.web.console_url in text and "/lacak" not in text
        assert measure(text).encoding == "GSM-7"
