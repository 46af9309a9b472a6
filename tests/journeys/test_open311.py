"""A partner system files a complaint through Open311 GeoReport v2, over the real queues and
workers, on SQLite and PostgreSQL: its key made with ``pengaduan-partner``, a GeoReport v2 client
library from PyPI (civicbot's ``Open311Client``) files the request and reads it ``open``, the
staff carry it through the five steps, and the client reads it ``closed`` with the answer as
its status notes, while the complainant hears of it by email as from any other front door."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from tests.intake.open311.conftest import JURISDICTION
from tests.intake.open311.test_client_library import client_for
from tools.harness.desk import CITIZEN_EMAIL, STEP_INPUTS, Desk
from tools.harness.processes import wait_for

pytestmark = pytest.mark.both_databases

DESCRIPTION = "Permohonan PBG kami sudah dua bulan tanpa kabar dari dinas."


def partner_key(system: Desk, name: str) -> str:
    created = subprocess.run(
        [sys.executable, "-m", "services.intake.open311.cli", "create", name],
        env=system.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return created.stdout.strip()


def test_an_open311_request_travels_the_five_steps_and_reads_closed(system: Desk) -> None:
    key = partner_key(system, "lapor-kota")
    client = client_for(str(system.intake.base_url.join("/open311/v2")), key)
    assert client.jurisdiction_id == JURISDICTION

    sent = client.create_request(
        "PBG",
        dry_run=False,
        confirm="SEND",
        api_key=key,
        validate_remote=True,
        address_string="Jl. Pahlawan 37, Kota Madiun",
        description=DESCRIPTION,
        first_name="Budi",
        last_name="Santoso",
        email=CITIZEN_EMAIL,
    )
    code = sent.response[0]["service_request_id"]

    def read() -> dict[str, Any]:
        request = client.get_request(code)
        assert request is not None
        return request

    assert read()["status"] == "open"
    ack = wait_for(system.emails_to, 60, "the filing acknowledgement")
    assert code in ack[0].get_content()  # type: ignore[index]

    case_id = system.walk(code)
    answer = STEP_INPUTS[4]["answer"]
    wait_for(lambda: read()["status"] == "closed", 60, "the request closed")
    closed = read()
    assert closed["status_notes"] == answer
    assert closed["service_code"] == "PBG"
    assert closed["description"].startswith(DESCRIPTION)
    assert closed["updated_datetime"] >= closed["requested_datetime"]
    assert [r["service_request_id"] for r in client.list_requests(status="closed")] == [code]

    # The complainant got the answer by email, as from the portal or the API.
    wait_for(
        lambda: any(answer in m.get_content() for m in system.emails_to()), 60, "the answer email"
    )
    case = system.case(case_id)
    assert [e["step"] for e in case["history"] if e["kind"] == "completed"] == [1, 2, 3, 4, 5]
