"""Open311 tests: a partner with its key, the spec's example request as this office's form, and
readers of the spec's two formats."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import httpx
import pytest
from fastapi.testclient import TestClient

from services.intake.database import get_db
from services.intake.open311 import partners

BASE = "/open311/v2"
JURISDICTION = "dpmptsp.madiun.go.id"
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
NAME, EMAIL, PHONE = "Sri Wahyuni", "sri.wahyuni@example.id", "0813-2222-3333"


def make_partner(name: str = "lapor-kota") -> str:
    """A partner made as ``pengaduan-partner create`` makes it; its key."""
    with get_db().transaction() as session:
        _, key = partners.create_partner(session, name)
    return key


@pytest.fixture
def key(configured: dict[str, str]) -> str:
    return make_partner()


def request_form(key: str, **overrides: str | None) -> dict[str, str]:
    """The spec's example POST, for a licensing complaint (service PBG): every field it names."""
    form: dict[str, str | None] = {
        "api_key": key,
        "jurisdiction_id": JURISDICTION,
        "service_code": "PBG",
        "lat": "-7.6298",
        "long": "111.5239",
        "address_string": "Jl. Pahlawan 37, Kota Madiun",
        "email": EMAIL,
        "device_id": "tt222111",
        "account_id": "123456",
        "first_name": "Sri",
        "last_name": "Wahyuni",
        "phone": PHONE,
        "description": "Permohonan PBG kami sudah dua bulan tanpa kabar dari dinas.",
        "media_url": "https://example.id/foto/pbg-123.jpg",
        "attribute[WHISPAWN]": "123456",
        **overrides,
    }
    return {k: v for k, v in form.items() if v is not None}


def post(client: TestClient, form: dict[str, str], fmt: str = "json") -> httpx.Response:
    return client.post(f"{BASE}/requests.{fmt}", data=form)


def filed(client: TestClient, key: str, **overrides: str | None) -> str:
    response = post(client, request_form(key, **overrides))
    assert response.status_code == 200, response.text
    code: str = response.json()[0]["service_request_id"]
    return code


def xml_of(response: httpx.Response) -> ElementTree.Element:
    """The XML answer, after checking what the spec asks of every one."""
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert response.text.startswith(XML_DECLARATION)
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own server's answer


def fields_of(element: ElementTree.Element) -> dict[str, Any]:
    return {child.tag: child.text for child in element}


def spec_error(response: httpx.Response, status: int, fmt: str = "json") -> str:
    """The error's description, after checking the spec's shape in either format."""
    assert response.status_code == status, response.text
    if fmt == "xml":
        root = xml_of(response)
        assert root.tag == "errors"
        [error] = root.findall("error")
        assert [c.tag for c in error] == ["code", "description"]
        assert error.findtext("code") == str(status)
        return error.findtext("description") or ""
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    [error] = response.json()
    assert list(error) == ["code", "description"]
    assert error["code"] == status
    description: str = error["description"]
    return description
