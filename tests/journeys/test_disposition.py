"""A disposition addressed to a named Tim Koordinasi member, over the real queues: the member's
worklist lists the case first, the member is emailed the directions and due date, and the case
record and the Mutu Baku report name them. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from shared.sop import Role
from shared.wording.time_words import WIB, day_words
from tools.harness.desk import Desk
from tools.harness.processes import wait_for

MEMBER = "uji_rina"
MEMBER_EMAIL = "rina.kartika@dpmptsp.example.id"
DIRECTIONS = "Periksa berkas di OSS bersama Bidang Perizinan dan hubungi pengadu."


pytestmark = pytest.mark.both_databases


def test_a_disposition_to_a_named_member_reaches_them_first(system: Desk) -> None:
    system.add_staff(
        MEMBER,
        Role.TIM_KOORDINASI,
        full_name="Rina Kartika",
        email=MEMBER_EMAIL,
        unit="Bidang Perizinan",
    )
    # The APIs run on the real clock: the due date is a week after today in the office's time.
    today = datetime.now(WIB).date()
    due = today + timedelta(days=7)
    older = system.file_complaint(subject="Izin usaha belum terbit")
    newer = system.file_complaint(subject="NIB tidak dapat diunduh")
    older_id = system.walk(older["tracking_code"], range(1, 3))
    newer_id = system.walk(newer["tracking_code"], range(1, 3))
    for case_id, code, body in (
        (older_id, older["tracking_code"], {"assignees": ["uji_tim_koordinasi"]}),
        (newer_id, newer["tracking_code"], {"assignees": [MEMBER], "due_date": due.isoformat()}),
    ):
        system.wait_for_work(Role.KOORDINATOR, code, 3)
        response = system.complete(
            Role.KOORDINATOR, case_id, 3, {"disposition": DIRECTIONS, **body}
        )
        assert response.status_code == 202, response.text

    # The named member: the newer case first, marked; the older one still listed after it.
    def both_listed() -> list[dict] | None:
        items = [i for i in system.worklist(MEMBER) if i["step"] == 4]
        return items if len(items) == 2 else None

    items = wait_for(both_listed, 60, "both cases on the member's worklist")
    assert [(i["case_id"], i["assigned_to_me"]) for i in items] == [
        (newer_id, True),
        (older_id, False),
    ]
    assert items[0]["due_date"] == due.isoformat()
    # Another member of the team sees the newer case after the one addressed to them.
    other = [(i["case_id"], i["assigned_to_me"]) for i in system.worklist(Role.TIM_KOORDINASI)]
    assert other == [(older_id, True), (newer_id, False)]

    subject = f"Disposisi untuk Anda: laporan pengaduan {newer['tracking_code']}"

    def disposition_mails() -> list:
        return [m for m in system.emails_to(MEMBER_EMAIL) if m["Subject"] == subject]

    [mail] = wait_for(disposition_mails, 60, "the disposition email")
    text = " ".join(mail.get_body(("plain",)).get_content().split())
    assert DIRECTIONS in text
    assert f"Batas waktu tindak lanjut: {day_words(due)}." in text
    assert "Rina Kartika (Bidang Perizinan)" in text

    case = system.case(newer_id)
    assert case["assignees"] == [
        {"username": MEMBER, "full_name": "Rina Kartika", "unit": "Bidang Perizinan"}
    ]
    assert case["due_date"] == due.isoformat()
    [disposed] = [e for e in case["history"] if e["kind"] == "completed" and e["step"] == 3]
    assert disposed["input"]["assignees"] == [MEMBER]
    assert disposed["input"]["due_date"] == due.isoformat()

    report = system.workflow.get(
        "/api/v1/reports/sla",
        params={"from": today.isoformat(), "to": today.isoformat()},
        headers=system.headers(Role.KOORDINATOR),
    ).json()
    named = {row["tracking_code"]: row["assignee_labels"] for row in report["dispositions"]}
    assert named == {
        older["tracking_code"]: ["uji_tim_koordinasi"],
        newer["tracking_code"]: ["Rina Kartika (Bidang Perizinan)"],
    }
