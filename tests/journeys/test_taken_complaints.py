"""Complaints taken by the Admin Pengaduan (telephone, desk, letter) travel the real queues on
SQLite and PostgreSQL: from the console (workflow -> intake -> workflow) and from intake's API
with the Admin's token, each reaching the Kasi with how it came in and who took it."""

from __future__ import annotations

import pytest

from shared.sop import Role
from tools.harness.desk import Desk
from tools.harness.processes import wait_for

pytestmark = pytest.mark.both_databases


def test_a_telephone_complaint_taken_in_the_console_reaches_the_kasi(system: Desk) -> None:
    receipt = system.taken_in_console(
        {
            "received_via": "telepon",
            "name": "Pak Slamet",
            "phone": "0812 3456 7890",
            "channels": "sms",
            "subject": "Izin usaha belum terbit",
            "description": "Penelepon menyampaikan izin usahanya belum terbit sejak sebulan lalu.",
        }
    )

    # Intake files it from the workflow's message: the receipt's code and token then open it.
    def filed_at_intake() -> bool:
        response = system.intake.get(
            f"/api/v1/complaints/{receipt['tracking_code']}",
            headers={"X-Access-Token": receipt["access_token"]},
        )
        return response.status_code == 200

    wait_for(filed_at_intake, 60, "the taken complaint filed at intake")
    assert system.wait_for_status(receipt, "received")["tracking_code"] == receipt["tracking_code"]
    case_id = system.walk(receipt["tracking_code"], range(1, 2))
    system.wait_for_work(Role.KASI, receipt["tracking_code"], 2)

    case = system.case(case_id)
    assert (case["received_via"], case["taken_by"]) == ("telepon", "uji_admin")
    first = case["history"][0]
    assert (first["kind"], first["actor"], first["role"]) == ("filed", "uji_admin", "admin")
    assert first["output"] == {"received_via": "telepon"}


def test_a_letter_filed_through_the_api_with_the_admins_token_reaches_the_kasi(
    system: Desk,
) -> None:
    receipt = system.taken_by_api("surat")
    assert receipt["received_via"] == "surat"

    case_id = system.walk(receipt["tracking_code"], range(1, 2))
    system.wait_for_work(Role.KASI, receipt["tracking_code"], 2)

    case = system.case(case_id)
    assert (case["received_via"], case["taken_by"]) == ("surat", "uji_admin")
