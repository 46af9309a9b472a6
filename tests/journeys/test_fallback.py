"""The answer reaches the citizen, through the real queues and workers: a complainant who chose
email only, but gave a phone too, whose mailbox the SMTP server refuses for good (550), gets
every notice and the answer by SMS instead; the case record and the Admin's failed-deliveries
list show the email refused and the SMS sent as a fallback (cadangan), and the tracking page
never says the notice was undeliverable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.sop import Role
from tools.harness.desk import STEP_INPUTS, Desk
from tools.harness.processes import wait_for
from tools.harness.sms_gateway import GatewayServer
from tools.harness.smtp import GONE, RefusingInbox, SmtpServer

KINDS = ("answer", "filed", "registered", "verified")


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """The office's SMTP server, which refuses the complainant's mailbox for good."""
    server = SmtpServer(inbox=RefusingInbox())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def service_env(sms_service_env: dict[str, str]) -> dict[str, str]:
    return sms_service_env


def test_an_answer_whose_email_is_refused_for_good_arrives_by_sms(
    system: Desk, smtp_server: SmtpServer, sms_gateway: GatewayServer
) -> None:
    filed = system.file_complaint(
        reporter={"name": "Budi Santoso", "email": GONE, "phone": "0812-3456-7890"},
        channels=["email"],
    )
    code = filed["tracking_code"]
    case_id = system.walk(code)
    answer = STEP_INPUTS[4]["answer"]

    def answered_by_sms() -> list[dict[str, str]]:
        return [
            r for r in sms_gateway.requests if r["message"].startswith(f"Jawaban pengaduan {code}")
        ]

    [sms] = wait_for(answered_by_sms, 90, "the answer by SMS")
    assert sms["to"] == "+6281234567890"
    assert answer in sms["message"]
    assert isinstance(smtp_server.inbox, RefusingInbox)
    assert GONE in smtp_server.inbox.rcpt_attempts
    assert smtp_server.inbox.to(GONE) == []

    def notified() -> list[tuple[str, str, str, bool]]:
        return sorted(
            (o["kind"], o["channel"], o["status"], bool(o.get("fallback")))
            for e in system.case(case_id)["history"]
            if e["kind"] == "notified" and (o := e["output"])
        )

    expected = sorted(
        [(kind, "email", "failed", False) for kind in KINDS]
        + [(kind, "sms", "sent", True) for kind in KINDS]
    )
    wait_for(lambda: notified() == expected, 90, "every delivery on the case record")
    assert len(sms_gateway.requests) == len(KINDS)  # each notice once, by SMS

    failed = system.workflow.get(
        "/api/v1/notifications/failed", headers=system.headers(Role.ADMIN)
    ).json()
    [answer_failure] = [f for f in failed if f["kind"] == "answer"]
    assert answer_failure["channel"] == "email"
    assert "550" in answer_failure["detail"]
    assert [(t["channel"], t["status"], t["fallback"]) for t in answer_failure["tried"]] == [
        ("email", "failed", False),
        ("sms", "sent", True),
    ]

    tracked = system.wait_for_status(filed, "answered")
    assert tracked["answer"] == answer
    assert tracked["undelivered_notices"] == []  # it did reach the complainant
    assert answer in system.tracking_page(filed)
