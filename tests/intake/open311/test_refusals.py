"""Bad requests get the spec's error (400, 403 for the key, 404 for what is not there) in the
format asked for, with an Indonesian description, and change nothing; a partner reads only its
own requests."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from services.intake.database import get_db
from services.intake.models import CatalogueEntry
from services.intake.open311 import partners
from tests.intake.conftest import NOTHING, row_counts, set_settings, status_change
from tests.intake.open311.conftest import (
    BASE,
    filed,
    make_partner,
    post,
    request_form,
    spec_error,
)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_no_key_or_a_wrong_one_is_403_and_files_nothing(
    client: TestClient, key: str, fmt: str
) -> None:
    missing = post(client, request_form(key, api_key=None), fmt)
    assert "api_key wajib" in spec_error(missing, 403, fmt)
    wrong = post(client, request_form(key, api_key="pgd311_salah"), fmt)
    assert "api_key tidak valid" in spec_error(wrong, 403, fmt)
    assert row_counts() == NOTHING


def test_a_revoked_key_opens_nothing(client: TestClient, key: str) -> None:
    code = filed(client, key)
    with get_db().transaction() as session:
        partners.revoke_partner(session, "lapor-kota")
    counts = row_counts()
    spec_error(post(client, request_form(key)), 403)
    spec_error(client.get(f"{BASE}/requests/{code}.json", params={"api_key": key}), 403)
    assert row_counts() == counts


@pytest.mark.parametrize(
    ("overrides", "status", "said"),
    [
        ({"service_code": None}, 400, "service_code wajib"),
        ({"service_code": "TIDAK-ADA"}, 404, "tidak ada dalam katalog"),
        ({"description": None}, 400, "description wajib"),
        ({"description": "x" * 4001}, 400, "description paling panjang 4000"),
        ({"email": "bukan-email"}, 400, "email: alamat email 'bukan-email' tidak valid"),
        ({"phone": "12"}, 400, "phone: nomor telepon '12' tidak valid"),
        ({"first_name": None, "last_name": None}, 400, "first_name atau last_name wajib"),
        ({"long": None}, 400, "lat dan long harus dikirim bersama"),
        ({"lat": "utara"}, 400, "harus berupa angka"),
        ({"lat": "95"}, 400, "lat harus antara -90 dan 90"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url harus"),
        ({"jurisdiction_id": "sfgov.org"}, 404, "jurisdiction_id 'sfgov.org'"),
    ],
)
def test_bad_input_is_the_spec_error_and_files_nothing(
    client: TestClient, key: str, overrides: dict[str, str | None], status: int, said: str
) -> None:
    response = post(client, request_form(key, **overrides))
    assert said in spec_error(response, status)
    assert row_counts() == NOTHING


def test_a_withdrawn_service_cannot_be_named(client: TestClient, key: str) -> None:
    with get_db().transaction() as session:
        entry = session.get(CatalogueEntry, "REKLAME")
        assert entry is not None
        entry.active = False
    assert "REKLAME" not in [s["service_code"] for s in client.get(f"{BASE}/services.json").json()]
    spec_error(client.get(f"{BASE}/services/REKLAME.xml"), 404, "xml")
    spec_error(post(client, request_form(key, service_code="REKLAME")), 404)
    assert row_counts() == NOTHING


def test_an_unknown_format_is_404_in_json(client: TestClient) -> None:
    assert "format tidak dikenal" in spec_error(client.get(f"{BASE}/services.csv"), 404)


def test_a_partner_reads_only_its_own_requests(client: TestClient, key: str) -> None:
    own = filed(client, key)
    other_key = make_partner("mitra-lain")
    others = filed(client, other_key)

    spec_error(client.get(f"{BASE}/requests/{others}.json", params={"api_key": key}), 404)
    spec_error(client.get(f"{BASE}/requests/{own}.xml"), 403, "xml")  # the spec's GET: public
    listed = client.get(f"{BASE}/requests.json", params={"api_key": key}).json()
    assert [r["service_request_id"] for r in listed] == [own]
    both = f"{own},{others}"
    listed = client.get(
        f"{BASE}/requests.json", params={"api_key": other_key, "service_request_id": both}
    ).json()
    assert [r["service_request_id"] for r in listed] == [others]


def test_the_filters_of_the_spec(client: TestClient, key: str) -> None:
    first = filed(client, key)
    second = filed(client, key, service_code="NIB")
    status_change(second, "declined", 3, note="Di luar kewenangan.")

    def ids(**params: str) -> list[str]:
        response = client.get(f"{BASE}/requests.json", params={"api_key": key, **params})
        assert response.status_code == 200, response.text
        return [r["service_request_id"] for r in response.json()]

    assert sorted(ids()) == sorted([first, second])
    assert ids(status="closed") == [second]
    assert ids(status="open") == [first]
    assert sorted(ids(status="open,closed")) == sorted([first, second])
    assert ids(service_code="PBG") == [first]
    assert ids(service_request_id=second, status="open") == [second]  # the ids override
    assert ids(service_request_id=f" {first.lower()} ,{first}") == [first]  # as a person typed it
    assert ids(start_date="2020-01-01T00:00:00Z", end_date="2020-02-01T00:00:00Z") == []


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"status": "selesai"}, "status 'selesai' tidak dikenal"),
        ({"start_date": "kemarin"}, "start_date harus berformat W3C"),
        ({"end_date": "2026-12-01T00:00:00"}, "end_date harus berformat W3C"),
        (
            {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
            "paling lama 90 hari",
        ),
        (
            {"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
            "tidak boleh sebelum",
        ),
    ],
)
def test_bad_filters_are_400(
    client: TestClient, key: str, params: dict[str, str], said: str
) -> None:
    response = client.get(f"{BASE}/requests.xml", params={"api_key": key, **params})
    assert said in spec_error(response, 400, "xml")


def test_a_key_over_its_limit_is_429_in_the_spec_format(
    client: TestClient, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_settings(monkeypatch, open311_limit="2/minute")
    assert client.get(f"{BASE}/requests.json", params={"api_key": key}).status_code == 200
    filed(client, key)
    counts = row_counts()
    response = post(client, request_form(key))
    assert "Terlalu banyak permintaan dengan api_key ini" in spec_error(response, 429)
    assert int(response.headers["Retry-After"]) >= 1
    assert row_counts() == counts
    # Another partner's key has its own count.
    filed(client, make_partner("mitra-lain"))
