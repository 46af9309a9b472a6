"""The answer's reopening window passes through the notifier: the workflow's ``reopen_until``
is kept with the notification, named in the answer's email, SMS and in-app message (until when
the complainant may rate the answer and ask for it to be reopened, in WIB), and handed to intake
with the answer; an answer without one says nothing of it."""

from __future__ import annotations

from datetime import UTC, datetime

from services.notifier.channels.sms import sms_text
from services.notifier.messages import compose
from shared.messaging.contracts import ComplaintAnsweredV1, NotificationRequestedV1
from tests.notifier.conftest import CITIZEN_EMAIL, consume, notification, outbox_rows
from tools.harness.smtp import SmtpServer

# Monday 21 December 2026 at closing time (16.00 WIB): only shown, never compared with a clock.
REOPEN_UNTIL = datetime(2026, 12, 21, 9, 0, tzinfo=UTC)
IN_WORDS = "21 Desember 2026, 16.00 WIB"
URL = "https://pengaduan.example.id"


def answer_with_window() -> NotificationRequestedV1:
    return notification().model_copy(update={"reopen_until": REOPEN_UNTIL})


def test_the_answer_email_names_the_window_and_intake_is_handed_it(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    msg = answer_with_window()
    assert consume(msg) == "applied"

    # The email task reads the notification back from the notifier's table: kept with it.
    [mail] = smtp_server.inbox.to(CITIZEN_EMAIL)
    body = " ".join(mail.get_content().split())
    assert "menilai jawaban ini (puas atau tidak puas)" in body
    assert f"meminta laporan pengaduan dibuka kembali sampai {IN_WORDS}" in body
    [row] = outbox_rows()
    answered = ComplaintAnsweredV1.model_validate(row.payload)
    assert answered.reopen_until == REOPEN_UNTIL


def test_an_answer_without_a_window_says_nothing_of_it(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    assert consume(notification()) == "applied"

    [mail] = smtp_server.inbox.to(CITIZEN_EMAIL)
    assert "dibuka kembali" not in mail.get_content()
    [row] = outbox_rows()
    assert ComplaintAnsweredV1.model_validate(row.payload).reopen_until is None


def test_the_sms_and_the_in_app_message_name_the_window_before_the_answer() -> None:
    msg = answer_with_window().model_copy(update={"answer": "Izin usaha Anda diproses. " * 40})
    text = sms_text(msg, intake_url=URL)
    assert text.startswith(
        f"Jawaban pengaduan {msg.tracking_code} (nilai atau minta dibuka kembali s.d. "
        f"{IN_WORDS} di halaman lacak): Izin usaha"
    )
    # The app channel's inbox message is the email's text.
    in_app = " ".join(compose(msg, intake_url=URL).body.split())
    assert f"dibuka kembali sampai {IN_WORDS}" in in_app
