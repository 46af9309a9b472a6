"""The licensing services catalogue over the real queues and workers, on SQLite and PostgreSQL:
the Koordinator adds a service in the workflow, intake lists it publicly, a citizen files naming
it, the case shows it (and the search finds the case by it), the Kasi corrects it, and intake's
complaint names the corrected service. A service the Koordinator withdraws leaves the public
list, and a filing naming it is refused; a telephone complaint taken in the console carries
its service to the case."""

from __future__ import annotations

from typing import Any

import pytest

from shared.sop import Role
from tools.harness.desk import Desk
from tools.harness.processes import wait_for

pytestmark = pytest.mark.both_databases

NEW = {"code": "IUJK", "name": "Izin Usaha Jasa Konstruksi", "group": "berusaha"}


def public_codes(system: Desk) -> set[str]:
    response = system.intake.get("/api/v1/services")
    assert response.status_code == 200, response.text
    return {s["code"] for s in response.json()}


def test_a_service_added_in_the_workflow_is_named_filed_shown_and_corrected(
    system: Desk,
) -> None:
    added = system.workflow.post(
        "/api/v1/services", json=NEW, headers=system.headers(Role.KOORDINATOR)
    )
    assert added.status_code == 201, added.text
    wait_for(lambda: "IUJK" in public_codes(system), 60, "IUJK in intake's public list")
    listed = next(s for s in system.intake.get("/api/v1/services").json() if s["code"] == "IUJK")
    assert listed == {**NEW, "group_label": "Perizinan berusaha"}

    filed = system.file_complaint(service_code="IUJK")
    code = filed["tracking_code"]
    item = system.wait_for_work(Role.ADMIN, code, 1)
    case = system.case(item["case_id"])
    assert (case["service_code"], case["service_name"]) == ("IUJK", NEW["name"])
    found = system.find_cases(Role.KASI, "", service_code="IUJK")
    assert [c["tracking_code"] for c in found["items"]] == [code]

    corrected = system.workflow.put(
        f"/api/v1/cases/{item['case_id']}/service",
        json={"service_code": "PBG"},
        headers=system.headers(Role.KASI),
    )
    assert corrected.status_code == 200, corrected.text

    def corrected_at_intake() -> dict[str, Any] | None:
        shown = system.track(filed)
        return shown if shown["service_code"] == "PBG" else None

    shown = wait_for(corrected_at_intake, 60, "the corrected service at intake")
    assert shown["service_name"] == "Persetujuan Bangunan Gedung (PBG)"  # type: ignore[index]
    history = system.case(item["case_id"])["history"]
    assert [e["output"] for e in history if e["kind"] == "service_corrected"] == [
        {"from": "IUJK", "to": "PBG"}
    ]


def test_a_withdrawn_service_leaves_the_public_list_and_cannot_be_named(system: Desk) -> None:
    withdrawn = system.workflow.patch(
        "/api/v1/services/REKLAME", json={"active": False}, headers=system.headers(Role.ADMIN)
    )
    assert withdrawn.status_code == 200, withdrawn.text
    wait_for(lambda: "REKLAME" not in public_codes(system), 60, "REKLAME off the public list")

    refused = system.intake.post(
        "/api/v1/complaints",
        json={
            "reporter": {"name": "Budi Santoso", "email": "budi@example.id"},
            "subject": "Izin reklame belum terbit",
            "description": "Permohonan izin reklame kami belum ada kabar sejak bulan lalu.",
            "channels": ["email"],
            "service_code": "REKLAME",
        },
    )
    assert refused.status_code == 422, refused.text
    assert "sudah tidak tersedia" in refused.json()["message"]


def test_a_telephone_complaint_taken_in_the_console_carries_its_service(system: Desk) -> None:
    receipt = system.taken_in_console(
        {
            "received_via": "telepon",
            "name": "Pak Slamet",
            "phone": "0812 3456 7890",
            "channels": "sms",
            "subject": "Izin apotek belum terbit",
            "description": "Penelepon menyampaikan izin apoteknya belum terbit sejak sebulan lalu.",
            "service_code": "APOTEK",
        }
    )
    item = system.wait_for_work(Role.ADMIN, receipt["tracking_code"], 1)
    case = system.case(item["case_id"])
    assert (case["service_code"], case["service_name"]) == ("APOTEK", "Izin Apotek dan Toko Obat")
