"""The complainant of a request a partner filed: the partner holds no access token, so the
complainant sets their own through the one-time link sent to the contact they gave (docs/
OPEN311.md), and then follows the complaint as any other; the tracking code alone opens nothing.
Hostile text in the form comes back escaped, never as markup."""

from __future__ import annotations

from fastapi.testclient import TestClient

from services.intake.database import get_db
from services.intake.tracking import access_links
from shared.messaging.contracts import AccessLinkRequestedV1
from tests.intake.conftest import track
from tests.intake.open311.conftest import BASE, EMAIL, filed, post, request_form, xml_of
from tests.support.clock import TestClock


def test_the_complainant_sets_a_token_by_the_link_and_follows_the_complaint(
    client: TestClient, key: str
) -> None:
    code = filed(client, key)
    lookup = client.get(f"/api/v1/complaints/{code}", headers={"X-Access-Token": "tebakan"})
    assert lookup.status_code == 404  # the code alone opens nothing

    clock = TestClock(running=False)
    with get_db().transaction() as session:
        link = access_links.issue(session, AccessLinkRequestedV1(tracking_code=code), now=clock())
    assert link is not None  # sent to the email the partner gave: EMAIL
    with get_db().transaction() as session:
        _, token = access_links.redeem(session, link.token, now=clock())

    tracked = track(client, code, token)
    assert tracked["status"] == "submitted"
    assert tracked["tracking_code"] == code
    assert EMAIL not in str(tracked)


def test_markup_in_the_form_is_text_in_both_formats(client: TestClient, key: str) -> None:
    hostile = "Izin <b>belum</b> terbit & petugas bilang </description><x>"
    code = filed(client, key, description=hostile, address_string="Jl. <Pahlawan> & 37")
    [request] = client.get(f"{BASE}/requests/{code}.json", params={"api_key": key}).json()
    assert request["description"].startswith(hostile)
    response = client.get(f"{BASE}/requests/{code}.xml", params={"api_key": key})
    assert "<b>" not in response.text and "&lt;b&gt;" in response.text
    [as_xml] = xml_of(response).findall("request")
    assert as_xml.findtext("description", "").startswith(hostile)
    assert "Lokasi: Jl. <Pahlawan> & 37" in as_xml.findtext("description", "")


def test_bytes_that_are_not_utf8_or_a_multipart_file_are_no_server_error(
    client: TestClient, key: str
) -> None:
    raw = b"api_key=" + key.encode() + b"&service_code=PBG&description=\xff\xfe%FF rusak sekali"
    response = client.post(
        f"{BASE}/requests.json",
        content=raw,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code in (200, 400), response.text
    as_file = client.post(
        f"{BASE}/requests.json",
        data=request_form(key, description=None),
        files={"description": ("uraian.txt", b"Permohonan PBG kami tertahan.", "text/plain")},
    )
    assert as_file.status_code == 400, as_file.text
    assert "description wajib" in as_file.json()[0]["description"]
    assert post(client, request_form(key)).status_code == 200
