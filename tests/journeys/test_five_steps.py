"""A complaint travels all five SOP steps over the real queues; the answer reaches the citizen."""

from __future__ import annotations

import pytest

from shared.sop import STATUS_LABELS
from tools.harness.desk import STEP_INPUTS, Desk
from tools.harness.processes import wait_for

pytestmark = pytest.mark.both_databases


def test_complaint_is_answered_by_email_after_all_five_steps(system: Desk) -> None:
    filed = system.file_complaint()
    assert filed["status"] == "submitted"

    ack = wait_for(system.emails_to, 60, "the filing acknowledgement")
    assert filed["tracking_code"] in ack[0].get_content()
    # Received at filing; registered (and with the Admin Pengaduan) only once step 1 has it.
    registered = system.wait_for_status(filed, "received")
    assert registered["status_label"] == STATUS_LABELS["received"]
    assert "teregister pada Sistem Pengaduan" in registered["status_label"]

    case_id = system.walk(filed["tracking_code"])

    tracked = system.wait_for_status(filed, "answered")
    assert tracked["answer"] == STEP_INPUTS[4]["answer"]
    statuses = [entry["status"] for entry in tracked["timeline"]]
    assert statuses == [
        "submitted",
        "received",
        "verifying",
        "disposition",
        "follow_up",
        "answer_ready",
        "answered",
    ]
    assert tracked["status_label"] == STATUS_LABELS["answered"]

    # The acknowledgement, the registration, the Kasi's verification and the answer, once each.
    wait_for(lambda: len(system.emails_to()) >= 4, 30, "four emails")
    emails = system.emails_to()
    assert len(emails) == 4
    [received] = [m for m in emails if "telah kami terima" in m["Subject"]]
    assert "teregister" not in received.get_content()
    [registered_mail] = [m for m in emails if "telah teregister" in m["Subject"]]
    said = " ".join(registered_mail.get_content().split())
    assert "diteruskan kepada Admin Pengaduan" in said and filed["tracking_code"] in said
    assert sum("telah diverifikasi" in m["Subject"] for m in emails) == 1
    answer_mail = next(m for m in emails if STEP_INPUTS[4]["answer"] in m.get_content())
    assert filed["tracking_code"] in answer_mail.get_content()

    case = system.case(case_id)
    completed = [e for e in case["history"] if e["kind"] == "completed"]
    assert [e["step"] for e in completed] == [1, 2, 3, 4, 5]
    assert [e["actor"] for e in completed] == [
        "uji_admin",
        "uji_kasi",
        "uji_koordinator",
        "uji_tim_koordinasi",
        "uji_admin",
    ]
    assert case["status"] == "answered"

    def notified() -> list[tuple[str, str, str]]:
        return [
            (e["output"]["kind"], e["output"]["channel"], e["output"]["status"])
            for e in system.case(case_id)["history"]
            if e["kind"] == "notified"
        ]

    # Each of the four on both chosen channels (the app's is its hand-over to the inbox).
    wait_for(lambda: len(notified()) == 8, 60, "every delivery on the case record")
    assert sorted(notified()) == [
        (kind, channel, "sent")
        for kind in ("answer", "filed", "registered", "verified")
        for channel in ("app", "email")
    ]
