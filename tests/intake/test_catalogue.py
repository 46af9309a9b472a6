"""Intake's copy of the catalogue: kept by the workflow's ServiceEntryV1 (a newer revision
only, once however often it comes), listed publicly (active services only, in /docs), and
checked when a complaint names its service: an unknown or withdrawn code is a 422 in Indonesian
with nothing stored. The Kasi's correction (CaseServiceChangedV1) moves the complaint's service,
an older one does not; a complaint taken in the console keeps the service it names."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.intake.catalogue.copy import apply_case_service, apply_entry
from services.intake.database import get_db
from services.intake.filing.complaints import file_taken
from services.intake.models import CatalogueEntry, Complaint
from shared.licensing_services import SEED_SERVICES, ServiceGroup
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    INTAKE_CASE_SERVICE_TASK,
    INTAKE_SERVICE_ENTRY_TASK,
    INTAKE_TAKEN_TASK,
    CaseServiceChangedV1,
    ServiceEntryV1,
)
from shared.messaging.contracts.codes import new_access_token
from tests.intake.conftest import NOTHING, complaint_body, file, row_counts, track
from tests.intake.filing.test_taken import taken_message

WHEN = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


def entry(code: str = "IUJK", revision: int = 2, **overrides: object) -> ServiceEntryV1:
    fields: dict[str, object] = {
        "code": code,
        "name": "Izin Usaha Jasa Konstruksi",
        "group": ServiceGroup.BERUSAHA,
        "active": True,
        "revision": revision,
        "updated_at": WHEN + timedelta(minutes=revision),
        **overrides,
    }
    return ServiceEntryV1(**fields)  # type: ignore[arg-type]


def told(msg: ServiceEntryV1) -> str:
    return consume_once(get_db(), INTAKE_SERVICE_ENTRY_TASK, msg, apply_entry)


def held(code: str) -> tuple[object, ...] | None:
    with get_db().sessions() as session:
        found = session.get(CatalogueEntry, code)
        return None if found is None else (found.name, found.group, found.active, found.revision)


def services(client: TestClient) -> dict[str, dict[str, str]]:
    response = client.get("/api/v1/services")
    assert response.status_code == 200, response.text
    return {s["code"]: s for s in response.json()}


def test_the_public_list_is_the_seeded_catalogue_by_group(client: TestClient) -> None:
    listed = services(client)
    assert set(listed) == {s.code for s in SEED_SERVICES}
    assert listed["NIB"] == {
        "code": "NIB",
        "name": "Nomor Induk Berusaha (NIB) melalui OSS",
        "group": "berusaha",
        "group_label": "Perizinan berusaha",
    }
    groups = [s["group"] for s in client.get("/api/v1/services").json()]
    assert groups == sorted(groups)  # berusaha first, then non_berusaha
    assert "/api/v1/services" in client.get("/openapi.json").json()["paths"]


def test_an_entry_is_applied_at_a_newer_revision_only_and_once(client: TestClient) -> None:
    told(entry(revision=1))
    assert held("IUJK") == ("Izin Usaha Jasa Konstruksi", "berusaha", True, 1)
    assert "IUJK" in services(client)

    withdrawn = entry(revision=3, active=False, name="Izin Jasa Konstruksi")
    told(withdrawn)
    told(entry(revision=2, name="Nama lama yang datang terlambat"))  # late: changes nothing
    told(withdrawn)  # redelivered: nothing again
    assert held("IUJK") == ("Izin Jasa Konstruksi", "berusaha", False, 3)
    assert "IUJK" not in services(client)

    told(entry("PBG", revision=1, name="Nama lama", group=ServiceGroup.NON_BERUSAHA))
    assert held("PBG") == ("Persetujuan Bangunan Gedung (PBG)", "non_berusaha", True, 1)


def test_a_complaint_naming_a_listed_service_keeps_it(client: TestClient) -> None:
    filed = file(client, service_code="PBG")
    shown = track(client, filed["tracking_code"], filed["access_token"])
    assert (shown["service_code"], shown["service_name"]) == (
        "PBG",
        "Persetujuan Bangunan Gedung (PBG)",
    )
    plain = file(client)
    assert track(client, plain["tracking_code"], plain["access_token"])["service_code"] is None


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("TIDAK-ADA", "service_code: kode layanan 'TIDAK-ADA' tidak ada dalam katalog layanan"),
        ("REKLAME", "service_code: layanan Izin Penyelenggaraan Reklame (REKLAME) sudah tidak"),
        ("pbg", "kode layanan tidak dikenal"),  # the format: the model's own check
    ],
)
def test_an_unknown_or_withdrawn_service_is_refused_and_nothing_is_stored(
    client: TestClient, code: str, said: str
) -> None:
    told(entry("REKLAME", revision=2, name="Izin Penyelenggaraan Reklame", active=False))
    before = row_counts()

    response = client.post("/api/v1/complaints", json=complaint_body(service_code=code))

    assert response.status_code == 422, response.text
    assert said in response.json()["message"]
    assert row_counts() == before == NOTHING


def test_the_kasis_correction_moves_the_complaints_service_and_an_older_one_does_not(
    client: TestClient,
) -> None:
    filed = file(client, service_code="PBG")
    code = filed["tracking_code"]

    def corrected(service: str | None, minutes: int) -> None:
        msg = CaseServiceChangedV1(
            tracking_code=code, service_code=service, changed_at=WHEN + timedelta(minutes=minutes)
        )
        consume_once(get_db(), INTAKE_CASE_SERVICE_TASK, msg, apply_case_service)

    corrected("SLF", 10)
    corrected("NIB", 5)  # older, arriving late
    shown = track(client, code, filed["access_token"])
    assert (shown["service_code"], shown["service_name"]) == ("SLF", "Sertifikat Laik Fungsi (SLF)")
    corrected(None, 20)
    assert track(client, code, filed["access_token"])["service_code"] is None
    corrected("SLF", 30)  # a code unknown here: logged and dropped, nothing breaks
    msg = CaseServiceChangedV1(tracking_code="PGD-0000-0000", service_code="SLF", changed_at=WHEN)
    consume_once(get_db(), INTAKE_CASE_SERVICE_TASK, msg, apply_case_service)


def test_a_complaint_taken_in_the_console_keeps_its_service(client: TestClient) -> None:
    token = new_access_token()
    msg = taken_message(token, service_code="APOTEK", message_id=uuid.uuid4())
    consume_once(get_db(), INTAKE_TAKEN_TASK, msg, file_taken)
    with get_db().sessions() as session:
        complaint = session.scalar(
            select(Complaint).where(Complaint.tracking_code == msg.tracking_code)
        )
        assert complaint is not None
        assert complaint.service_code == "APOTEK"
