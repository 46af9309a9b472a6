"""What the complainant reads."""

from __future__ import annotations

import pytest

from services.notifier.messages import IncompleteNotification, compose
from shared.contracts import NotificationKind
from tests.notifier.conftest import NOTE, notification

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


def test_a_reason_is_reproduced_verbatim_in_the_request_and_the_refusal() -> None:
    for kind in (NotificationKind.INFORMATION_REQUESTED, NotificationKind.DECLINED):
        body = compose(notification(kind), intake_url=URL).body
        assert NOTE in body  # braces in staff text are not template fields


def test_a_request_or_refusal_without_its_reason_is_incomplete() -> None:
    msg = notification(NotificationKind.DECLINED).model_copy(update={"note": None})
    with pytest.raises(IncompleteNotification):
        compose(msg, intake_url=URL)
