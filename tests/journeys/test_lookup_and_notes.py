"""The case file's lookup and internal notes, through the real queues: staff find a case by the
complainant's phone however it is written, and a staff note never reaches the complainant on
any channel (tracking page and API, in-app inbox, email, SMS)."""

from __future__ import annotations

import json
from email.message import EmailMessage

import pytest

from shared.sop import Role
from tools.harness.desk import STEP_INPUTS, Desk
from tools.harness.processes import wait_for
from tools.harness.sms_gateway import GatewayServer
from tools.harness.smtp import SmtpServer

# Distinctive enough that no wording of the system could hold it by chance.
MARKER = "CATATAN-RAHASIA-7Q4"
NOTE = f"{MARKER}: pengadu kerabat pejabat, mohon hati-hati"


pytestmark = pytest.mark.both_databases


@pytest.fixture
def service_env(sms_service_env: dict[str, str]) -> dict[str, str]:
    """The journeys' environment with an SMS gateway (the tracking page opened as a browser
    would)."""
    return sms_service_env


def test_a_case_is_found_by_the_complainants_phone_written_three_ways(system: Desk) -> None:
    filed = system.file_complaint(
        reporter={"name": "Siti Aminah", "phone": "0812-3456-7890"}, channels=["app"]
    )
    # Another complainant whose number differs in its last digit only.
    other = system.file_complaint(
        reporter={"name": "Budi Santoso", "phone": "0812-3456-7891"}, channels=["app"]
    )
    item = system.wait_for_work(Role.ADMIN, filed["tracking_code"], 1)
    system.wait_for_work(Role.ADMIN, other["tracking_code"], 1)

    for typed in ("0812-3456-7890", "+62 812 3456 7890", "6281234567890"):
        found = system.find_cases(Role.KASI, typed)
        assert found["total"] == 1, (typed, found)
        assert [i["case_id"] for i in found["items"]] == [item["case_id"]], typed
        assert found["items"][0]["tracking_code"] == filed["tracking_code"]
    # A part of the number finds no one; the whole other number its own case only.
    assert system.find_cases(Role.KASI, "0812-3456")["total"] == 0
    assert system.find_cases(Role.KASI, "7890")["total"] == 0
    [theirs] = system.find_cases(Role.KASI, "+6281234567891")["items"]
    assert theirs["tracking_code"] == other["tracking_code"]


def _texts(message: EmailMessage) -> str:
    """Every header and every text part of an email, decoded."""
    parts = [str(value) for value in message.values()]
    parts += [
        part.get_content()
        for part in message.walk()
        if part.get_content_maintype() == "text" and not part.is_multipart()
    ]
    return "\n".join(parts)


def test_a_staff_note_never_reaches_the_complainant(
    system: Desk, smtp_server: SmtpServer, sms_gateway: GatewayServer
) -> None:
    filed = system.file_complaint(channels=["email", "sms", "app"])
    case_id = system.walk(filed["tracking_code"], range(1, 3))  # now with the Koordinator

    noted = system.add_note(Role.KASI, case_id, NOTE)
    assert noted.status_code == 201, noted.text
    assert (noted.json()["kind"], noted.json()["step"]) == ("note", 3)
    system.walk(filed["tracking_code"], range(3, 6))

    tracked = system.wait_for_status(filed, "answered")
    assert tracked["answer"] == STEP_INPUTS[4]["answer"]

    def notified() -> list[tuple[str, str, str]]:
        return [
            (e["output"]["kind"], e["output"]["channel"], e["output"]["status"])
            for e in system.case(case_id)["history"]
            if e["kind"] == "notified"
        ]

    # Every notification on every channel is out (reported back to the case's record).
    wait_for(lambda: len(notified()) == 12, 90, "every delivery on the case record")
    assert sorted(notified()) == [
        (kind, channel, "sent")
        for kind in ("answer", "filed", "registered", "verified")
        for channel in ("app", "email", "sms")
    ]
    # Staff read the note on the record.
    assert [e["input"]["text"] for e in system.case(case_id)["history"] if e["kind"] == "note"] == [
        NOTE
    ]

    # The complainant's every view and message: none holds the note.
    assert NOTE not in json.dumps(system.track(filed))
    page = system.tracking_page(filed)
    assert STEP_INPUTS[4]["answer"] in page
    assert NOTE not in page
    inbox = system.inbox(filed)
    assert len(inbox) == 4
    assert NOTE not in json.dumps(inbox)
    emails = smtp_server.inbox.messages
    assert len(emails) == 4
    assert any(STEP_INPUTS[4]["answer"] in _texts(m) for m in emails)
    assert all(NOTE not in _texts(m) and NOTE not in m.as_string() for m in emails)
    sms = sms_gateway.requests
    assert len(sms) == 4
    assert all(NOTE not in json.dumps(request) for request in sms)
    # Not even its marker alone, should the text have been cut short or wrapped.
    everything = [page, json.dumps(inbox), *map(_texts, emails), *map(json.dumps, sms)]
    assert not any(MARKER in text for text in everything)
