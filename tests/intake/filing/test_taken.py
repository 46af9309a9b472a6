"""A complaint the Admin Pengaduan took in the console reaches intake as ComplaintTakenV1: filed
under the receipt's code and token hash, sent on to step 1 with who took it, once however often
the message comes, and under a fresh code, said to the workflow, should the receipt's code have
been given to another filing meanwhile."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from services.intake.database import get_db
from services.intake.filing.complaints import file_taken
from services.intake.models import Complaint
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    INTAKE_TAKEN_TASK,
    NOTIFY_TASK,
    Channel,
    ComplaintTakenV1,
    ReceivedVia,
    Reporter,
)
from shared.messaging.contracts.codes import hash_access_token, new_access_token
from shared.sop import FIRST_STEP
from tests.intake.conftest import file, track
from tests.support.outbox import queued_payloads

RECEIPT_CODE = "PGD-7KQ2-M9XD"


def taken_message(token: str, code: str = RECEIPT_CODE, **overrides: Any) -> ComplaintTakenV1:
    fields: dict[str, Any] = {
        "tracking_code": code,
        "access_token_hash": hash_access_token(token),
        "subject": "Izin usaha belum terbit",
        "description": "Penelepon menyampaikan izin usahanya belum terbit sejak sebulan lalu.",
        "reporter": Reporter(name="Pak Slamet", phone="+6281234567890"),
        "channels": (Channel.SMS,),
        "received_via": ReceivedVia.TELEPON,
        "taken_by": "sri",
        **overrides,
    }
    return ComplaintTakenV1(**fields)


def take(msg: ComplaintTakenV1) -> str:
    return consume_once(get_db(), INTAKE_TAKEN_TASK, msg, file_taken)


def test_a_taken_complaint_is_filed_under_the_receipts_code_and_token(
    client: TestClient,
) -> None:
    token = new_access_token()
    msg = taken_message(token)

    assert take(msg) == "applied"
    assert take(msg) == "duplicate"

    tracked = track(client, RECEIPT_CODE, token)
    assert tracked["status"] == "submitted"
    with get_db().sessions() as session:
        [stored] = session.scalars(select(Complaint)).all()
    assert (stored.received_via, stored.taken_by) == ("telepon", "sri")
    [filed] = queued_payloads(get_db(), FIRST_STEP.arrive_task)
    assert filed["tracking_code"] == RECEIPT_CODE
    assert (filed["received_via"], filed["taken_by"]) == ("telepon", "sri")
    assert filed["receipt_code"] is None
    [acknowledged] = queued_payloads(get_db(), NOTIFY_TASK)
    assert acknowledged["channels"] == ["sms"]


def test_a_receipt_code_taken_meanwhile_files_under_a_fresh_code_and_says_so(
    client: TestClient,
) -> None:
    other = file(client)  # a citizen's filing drew the same code first
    token = new_access_token()

    assert take(taken_message(token, code=other["tracking_code"])) == "applied"

    filed = queued_payloads(get_db(), FIRST_STEP.arrive_task)[-1]
    assert filed["receipt_code"] == other["tracking_code"]
    assert filed["tracking_code"] != other["tracking_code"]
    # The complainant's token opens their own complaint under its new code, not the other one.
    assert track(client, filed["tracking_code"], token)["tracking_code"] == filed["tracking_code"]
    lookup = client.get(
        f"/api/v1/complaints/{other['tracking_code']}", headers={"X-Access-Token": token}
    )
    assert lookup.status_code == 404
