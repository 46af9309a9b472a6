"""What the complainant reads."""

from __future__ import annotations

from services.notifier.messages import compose
from shared.contracts import NotificationKind
from tests.notifier.conftest import notification

URL = "https://pengaduan.example.id"


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
