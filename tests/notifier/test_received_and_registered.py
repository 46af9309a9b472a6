"""Honest words: at filing the complainant hears only that the laporan was received; that it is
registered and with the Admin Pengaduan comes in its own message, once the workflow has it."""

from __future__ import annotations

import pytest

from services.notifier.channels.sms import sms_text
from services.notifier.channels.sms_text import measure
from services.notifier.messages import compose
from shared.messaging.contracts import (
    INTAKE_ANSWERED_TASK,
    INTAKE_INBOX_TASK,
    Channel,
    InboxMessageV1,
    NotificationKind,
)
from shared.runtime.settings import Settings
from tests.notifier.conftest import (
    CITIZEN_EMAIL,
    consume,
    deliveries,
    notification,
    outbox_rows,
)
from tools.harness.smtp import SmtpServer

SETTINGS = Settings(
    web={
        "public_intake_url": "https://pengaduan.madiunkota.go.id",
        "public_workflow_url": "https://petugas.madiunkota.go.id",
    }
)
CODE = "PGD-2026-0042"
PHONE = "+6281234567890"  # the recipient's, as ``notification()`` gives it
# What only the registration may claim: the SOP's record keeping and step 1's hand-over.
CLAIMS_OF_REGISTRATION = ("teregister", "terdaftar", "diteruskan")


def _texts(kind: NotificationKind) -> dict[str, str]:
    """Everything the complainant reads of one notification: subject, both email parts, SMS."""
    msg = notification(kind, channels=(Channel.EMAIL, Channel.SMS, Channel.APP))
    composed = compose(msg, settings=SETTINGS)
    return {
        "subject": composed.subject,
        "text": composed.body,
        "html": composed.html,
        "sms": sms_text(msg, settings=SETTINGS),
    }


@pytest.mark.parametrize("part", ["subject", "text", "html", "sms"])
def test_the_filing_acknowledgement_claims_receipt_and_nothing_more(part: str) -> None:
    said = _texts(NotificationKind.FILED)[part]
    assert "terima" in said  # "telah kami terima" / "diterima"
    assert CODE in said
    for claim in CLAIMS_OF_REGISTRATION:
        assert claim not in said.lower(), f"{part} claims {claim!r} before the workflow has it"


@pytest.mark.parametrize("part", ["text", "html", "sms"])
def test_the_registration_notice_says_registered_and_forwarded_to_the_admin(part: str) -> None:
    said = " ".join(_texts(NotificationKind.REGISTERED)[part].split())  # as read, unwrapped
    assert "teregister pada Sistem Pengaduan" in said
    assert "diteruskan kepada Admin Pengaduan" in said
    assert CODE in said
    assert SETTINGS.web.tracking_url(CODE) in said


def test_the_registration_notice_has_its_own_subject() -> None:
    assert _texts(NotificationKind.REGISTERED)["subject"] == (
        f"Laporan pengaduan {CODE} telah teregister"
    )


def test_the_registration_notice_names_no_contact_and_links_no_console() -> None:
    for part, said in _texts(NotificationKind.REGISTERED).items():
        assert CITIZEN_EMAIL not in said, part
        assert PHONE not in said and PHONE.removeprefix("+") not in said, part
        assert SETTINGS.web.console_url not in said, part


def test_the_registration_sms_is_short_plain_gsm7() -> None:
    length = measure(_texts(NotificationKind.REGISTERED)["sms"])
    assert (length.encoding, length.segments) == ("GSM-7", 2)


def test_the_registration_notice_reaches_the_mailbox_and_the_inbox(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    msg = notification(NotificationKind.REGISTERED, channels=(Channel.EMAIL, Channel.APP))
    assert consume(msg) == "applied"  # the fan-out (with the app's hand-over), the email's try

    [mail] = smtp_server.inbox.to(CITIZEN_EMAIL)  # the address is in the envelope, To: only
    assert mail["Subject"] == f"Laporan pengaduan {CODE} telah teregister"
    body = mail.get_content()
    assert "teregister pada Sistem Pengaduan" in " ".join(body.split())
    assert CITIZEN_EMAIL not in body and PHONE not in body

    [inbox_row] = outbox_rows(INTAKE_INBOX_TASK)
    inbox = InboxMessageV1.model_validate(inbox_row.payload)
    assert (inbox.kind, inbox.tracking_code) == (NotificationKind.REGISTERED, CODE)
    assert inbox.title == mail["Subject"]
    assert "diteruskan kepada Admin Pengaduan" in " ".join(inbox.body.split())
    assert CITIZEN_EMAIL not in inbox.model_dump_json() and PHONE not in inbox.model_dump_json()

    assert sorted((d.channel, d.status) for d in deliveries()) == [
        ("app", "sent"),
        ("email", "sent"),
    ]
    assert outbox_rows(INTAKE_ANSWERED_TASK) == []  # registration is not the answer
