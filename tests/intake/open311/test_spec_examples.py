"""The spec's own examples, as this office answers them: the service list and a service's
definition, the POST of a service request and its answer, and the request read back, open and
then closed, in JSON and XML with the spec's root elements and fields in the spec's order."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from xml.etree import ElementTree

from fastapi.testclient import TestClient
from sqlalchemy import select

from services.intake.database import get_db
from services.intake.models import Complaint, Partner
from shared.database.shared_tables import OutboxMessage
from shared.licensing_services import SEED_SERVICES
from tests.intake.conftest import ANSWER, answer, status_change
from tests.intake.open311.conftest import (
    BASE,
    EMAIL,
    JURISDICTION,
    NAME,
    fields_of,
    filed,
    post,
    request_form,
    xml_of,
)

SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def test_the_service_list_is_the_catalogue_in_json_and_xml(client: TestClient) -> None:
    response = client.get(f"{BASE}/services.json", params={"jurisdiction_id": ""})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    services = response.json()
    assert {s["service_code"] for s in services} == {s.code for s in SEED_SERVICES}
    pbg = next(s for s in services if s["service_code"] == "PBG")
    assert list(pbg) == SERVICE_FIELDS
    assert pbg["service_name"] == "Persetujuan Bangunan Gedung (PBG)"
    assert pbg["metadata"] is False
    assert pbg["type"] == "realtime"
    assert pbg["group"] == "Perizinan non berusaha"
    assert "PBG" in pbg["keywords"].split(", ")

    root = xml_of(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    as_xml = [fields_of(s) for s in root.findall("service")]
    assert [list(s) for s in as_xml] == [SERVICE_FIELDS] * len(services)
    xml_pbg = next(s for s in as_xml if s["service_code"] == "PBG")
    assert xml_pbg == {**pbg, "metadata": "false"}


def test_a_service_definition_asks_for_no_attributes(client: TestClient) -> None:
    assert client.get(f"{BASE}/services/NIB.json").json() == {
        "service_code": "NIB",
        "attributes": [],
    }
    root = xml_of(client.get(f"{BASE}/services/NIB.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "NIB"
    assert root.find("attributes") is not None and len(root.find("attributes") or []) == 0


def test_the_spec_example_request_files_a_complaint_for_the_partner(
    client: TestClient, key: str
) -> None:
    response = post(client, request_form(key))

    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    [created] = response.json()
    assert list(created) == ["service_request_id", "service_notice", "account_id"]
    assert created["account_id"] is None
    assert "Lupa token akses" in created["service_notice"]
    assert "tautan sekali pakai ke email dan nomor HP" in created["service_notice"]
    assert "token" not in created  # the spec's batch token: this server is realtime
    code = created["service_request_id"]
    with get_db().sessions() as session:
        complaint = session.scalar(select(Complaint).where(Complaint.tracking_code == code))
        assert complaint is not None
        partner = session.get(Partner, complaint.partner_id)
        assert partner is not None and partner.name == "lapor-kota"
        assert complaint.filed_via == "open311"
        assert complaint.service_code == "PBG"
        assert complaint.reporter_name == NAME
        assert complaint.reporter_email == EMAIL
        assert complaint.reporter_phone == "+6281322223333"
        assert complaint.channels == ["email", "sms"]
        assert complaint.subject == "Permohonan PBG kami sudah dua bulan tanpa kabar dari dinas."
        assert "Lokasi: Jl. Pahlawan 37, Kota Madiun" in complaint.description
        assert "Koordinat (WGS84): -7.6298, 111.5239" in complaint.description
        assert "Media: https://example.id/foto/pbg-123.jpg" in complaint.description
        # Handed to step 1 as any complaint is, saying how it came in.
        tasks = session.scalars(select(OutboxMessage.task_name)).all()
        assert "workflow.step.1.arrive" in tasks


def test_the_answer_in_xml_has_the_spec_root_and_fields(client: TestClient, key: str) -> None:
    root = xml_of(post(client, request_form(key), fmt="xml"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [c.tag for c in request] == ["service_request_id", "service_notice", "account_id"]
    assert request.findtext("service_request_id", "").startswith("PGD-")
    assert "<account_id />" in ElementTree.tostring(request, encoding="unicode")


def test_the_request_reads_back_open_then_closed_with_the_answer(
    client: TestClient, key: str
) -> None:
    code = filed(client, key)
    one = client.get(f"{BASE}/requests/{code}.json", params={"api_key": key})
    assert one.status_code == 200, one.text
    [request] = one.json()
    assert list(request) == REQUEST_FIELDS
    assert request["service_request_id"] == code
    assert request["status"] == "open"
    assert request["service_code"] == "PBG"
    assert request["service_name"] == "Persetujuan Bangunan Gedung (PBG)"
    assert request["agency_responsible"] == "DPMPTSP Kota Madiun"
    assert request["requested_datetime"].endswith("Z")
    assert "menunggu diregister" in request["status_notes"]
    # The complainant is never named to the partner.
    for said in (NAME, "Sri", EMAIL, "0813", "+62813"):
        assert said not in one.text

    status_change(code, "verifying", 2)
    answered_at = datetime.fromisoformat(request["requested_datetime"]) + timedelta(hours=1)
    answer(code, answered_at=answered_at)

    [closed] = client.get(f"{BASE}/requests/{code}.json", params={"api_key": key}).json()
    assert closed["status"] == "closed"
    assert closed["status_notes"] == ANSWER
    assert closed["updated_datetime"] == answered_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    root = xml_of(client.get(f"{BASE}/requests/{code}.xml", params={"api_key": key}))
    assert root.tag == "service_requests"
    [as_xml] = [fields_of(r) for r in root.findall("request")]
    assert list(as_xml) == REQUEST_FIELDS
    assert as_xml["status"] == "closed"
    assert as_xml["status_notes"] == ANSWER
    assert as_xml["address"] is None


def test_a_declined_request_is_closed_with_the_reason(client: TestClient, key: str) -> None:
    code = filed(client, key)
    status_change(code, "declined", 3, note="Bukan kewenangan DPMPTSP: hubungi Dinas PUPR.")
    [request] = client.get(f"{BASE}/requests/{code}.json", params={"api_key": key}).json()
    assert request["status"] == "closed"
    assert request["status_notes"] == "Bukan kewenangan DPMPTSP: hubungi Dinas PUPR."


def test_a_request_without_name_or_contact_is_filed_anonymous(client: TestClient, key: str) -> None:
    form = request_form(key, first_name=None, last_name=None, email=None, phone=None)
    [created] = post(client, form).json()
    assert "tidak meninggalkan email maupun nomor HP" in created["service_notice"]
    code = created["service_request_id"]
    with get_db().sessions() as session:
        complaint = session.scalar(select(Complaint).where(Complaint.tracking_code == code))
        assert complaint is not None
        assert complaint.identity == "anonymous"
        assert complaint.reporter_name is None
        assert complaint.channels == ["app"]


def test_the_list_reads_in_xml_with_the_spec_filters(client: TestClient, key: str) -> None:
    first = filed(client, key)
    second = filed(client, key, service_code="NIB")
    status_change(second, "declined", 3, note="Di luar kewenangan.")

    def listed(**params: str) -> list[dict[str, Any]]:
        root = xml_of(client.get(f"{BASE}/requests.xml", params={"api_key": key, **params}))
        assert root.tag == "service_requests"
        return [fields_of(r) for r in root.findall("request")]

    assert sorted(r["service_request_id"] for r in listed()) == sorted([first, second])
    [closed] = listed(status="closed", jurisdiction_id=JURISDICTION)
    assert list(closed) == REQUEST_FIELDS
    assert (closed["service_request_id"], closed["status"]) == (second, "closed")
    assert closed["status_notes"] == "Di luar kewenangan."
    [pbg] = listed(service_code="PBG")
    assert (pbg["service_request_id"], pbg["status"]) == (first, "open")
    assert listed(start_date="2020-01-01T00:00:00Z", end_date="2020-02-01T00:00:00Z") == []
