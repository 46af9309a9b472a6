"""Personal data (UU 27/2022) through the real processes: a complaint filed with consent
reaches the workflow; the Kasi reads the case (its name shown) and a confidential one (withheld);
the Admin Pengaduan lists who read each identity; the complainant downloads the copy of what
intake holds of them, consent included."""

from __future__ import annotations

import pytest

from shared.sop import Role
from shared.wording import privacy
from tools.harness.desk import Desk

pytestmark = pytest.mark.both_databases


def _reads(system: Desk, case_id: str) -> set[tuple[str, str]]:
    listed = system.workflow.get(
        f"/api/v1/cases/{case_id}/identity-reads", headers=system.headers(Role.ADMIN)
    )
    assert listed.status_code == 200, listed.text
    return {(read["username"], read["via"]) for read in listed.json()}


def test_reads_are_listed_for_the_admin_and_the_complainant_gets_a_copy(system: Desk) -> None:
    shown = system.file_complaint(consent=True)
    confidential = system.file_complaint(
        consent=True,
        identity="confidential",
        reporter={"name": "Ratna Widyastuti"},
        channels=["app"],
    )
    cases = {
        filed["tracking_code"]: system.wait_for_work(Role.ADMIN, filed["tracking_code"], 1)
        for filed in (shown, confidential)
    }
    shown_id = cases[shown["tracking_code"]]["case_id"]
    confidential_id = cases[confidential["tracking_code"]]["case_id"]

    for case_id in (shown_id, confidential_id):
        read = system.workflow.get(f"/api/v1/cases/{case_id}", headers=system.headers(Role.KASI))
        assert read.status_code == 200, read.text

    # The Admin's worklist named both (the harness waited on it); the Kasi read only one name.
    assert _reads(system, shown_id) == {("uji_admin", "api_worklist"), ("uji_kasi", "api_case")}
    assert _reads(system, confidential_id) == {("uji_admin", "api_worklist")}
    refused = system.workflow.get(
        f"/api/v1/cases/{shown_id}/identity-reads", headers=system.headers(Role.KASI)
    )
    assert refused.status_code == 403

    copy = system.intake.get(
        f"/api/v1/complaints/{shown['tracking_code']}/data",
        headers={"X-Access-Token": shown["access_token"]},
    )
    assert copy.status_code == 200, copy.text
    assert copy.headers["cache-control"] == "no-store"
    data = copy.json()
    assert data["reporter"]["name"] == "Budi Santoso"
    assert data["consent"]["given"] is True
    assert data["consent"]["notice_version"] == privacy.NOTICE_VERSION
    assert data["timeline"][0]["status"] == "submitted"
