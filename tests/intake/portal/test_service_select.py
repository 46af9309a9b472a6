"""The filing form's licensing service: a select of the catalogue's active services under their
groups (works without JavaScript), optional, the choice kept on the complaint and named on the
receipt and the tracking page; a withdrawn or unknown one shown on the form again (422) with
nothing stored."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from services.intake.catalogue.copy import apply_entry
from services.intake.database import get_db
from shared.licensing_services import ServiceGroup
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import INTAKE_SERVICE_ENTRY_TASK, ServiceEntryV1
from tests.intake.conftest import NOTHING, row_counts
from tests.intake.portal.conftest import (
    by_id,
    complaint_form,
    file_through_form,
    form,
    open_tracking,
)


def withdraw(code: str, name: str) -> None:
    msg = ServiceEntryV1(
        code=code,
        name=name,
        group=ServiceGroup.BERUSAHA,
        active=False,
        revision=2,
        updated_at=datetime(2026, 12, 7, tzinfo=UTC),
    )
    consume_once(get_db(), INTAKE_SERVICE_ENTRY_TASK, msg, apply_entry)


def test_the_form_offers_the_services_by_group(portal: TestClient) -> None:
    withdraw("APOTEK", "Izin Apotek dan Toko Obat")
    page = portal.get("/").text
    select = page[page.index('<select id="service_code"') : page.index("</select>")]
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups == ["Perizinan berusaha", "Perizinan non berusaha"]
    assert '<option value="">Tidak tahu / tidak memilih layanan</option>' in select
    assert '<option value="LAINNYA">Layanan lainnya / tidak tahu</option>' in select
    assert 'value="APOTEK"' not in select  # withdrawn
    assert 'for="service_code">Layanan perizinan yang diadukan <span class="optional">' in page


def test_the_chosen_service_is_on_the_receipt_and_the_tracking_page(portal: TestClient) -> None:
    response = portal.post("/", data=form(portal, **complaint_form(service_code="PBG")))
    assert response.status_code == 200, response.text
    assert by_id(response.text, "layanan") == "Persetujuan Bangunan Gedung (PBG)"
    code, token = by_id(response.text, "kode-pelacakan"), by_id(response.text, "token-akses")
    assert open_tracking(portal, code, token).status_code == 303
    page = portal.get(f"/lacak/{code}").text
    assert by_id(page, "layanan") == "Persetujuan Bangunan Gedung (PBG)"


def test_no_service_chosen_is_no_service_named(portal: TestClient) -> None:
    code, token = file_through_form(portal, service_code="")
    assert open_tracking(portal, code, token).status_code == 303
    assert 'id="layanan"' not in portal.get(f"/lacak/{code}").text


def test_a_withdrawn_or_unknown_service_is_shown_on_the_form_and_nothing_is_stored(
    portal: TestClient,
) -> None:
    withdraw("APOTEK", "Izin Apotek dan Toko Obat")
    for code, said in (
        ("APOTEK", "Layanan perizinan: layanan Izin Apotek dan Toko Obat (APOTEK) sudah tidak"),
        ("TIDAK-ADA", "Layanan perizinan: kode layanan &#39;TIDAK-ADA&#39; tidak ada"),
    ):
        response = portal.post("/", data=form(portal, **complaint_form(service_code=code)))
        assert response.status_code == 422
        assert said in response.text
        assert 'href="#service_code"' in response.text  # the summary leads to the select
        assert row_counts() == NOTHING
