"""The console's "Katalog layanan", the case page's service and the Kasi's correction form, the
search form's service filter, and the service select of "Catat pengaduan": as a browser posts
them (CSRF), each refusal shown on the page and changing nothing."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from services.workflow.cases.steps import receive_complaint
from services.workflow.database import get_db
from services.workflow.models import Case, CatalogueEntry, StaffUser
from shared.database.shared_tables import OutboxMessage
from shared.messaging.contracts import (
    INTAKE_CASE_SERVICE_TASK,
    INTAKE_SERVICE_ENTRY_TASK,
    INTAKE_TAKEN_TASK,
)
from shared.sop import Role
from tests.support.outbox import queued_payloads
from tests.workflow.conftest import filed_message
from tests.workflow.console.test_taking import taking_form
from tests.workflow.console_client import log_in, open_console, post_form


@pytest.fixture
def console(configured: dict[str, str], staff: dict[Role, StaffUser]) -> Iterator[TestClient]:
    with open_console() as client:
        yield client


def stored() -> tuple[Any, ...]:
    with get_db().sessions() as session:
        entries = [
            (e.code, e.name, e.group, e.active, e.revision)
            for e in session.scalars(select(CatalogueEntry).order_by(CatalogueEntry.code))
        ]
        return entries, session.scalar(select(func.count()).select_from(OutboxMessage))


def test_every_role_reads_the_catalogue_by_group_and_only_editors_get_its_forms(
    console: TestClient,
) -> None:
    for role in Role:
        log_in(console, role)
        page = console.get("/console/layanan")
        assert page.status_code == 200
        text = page.text
        assert 'href="/console/layanan"' in text  # in the menu
        assert text.index("Perizinan berusaha") < text.index("Perizinan non berusaha")
        assert "Persetujuan Bangunan Gedung (PBG)" in text
        editor = role in (Role.KOORDINATOR, Role.ADMIN)
        assert ('id="form-layanan-baru"' in text) is editor
        assert ("Tarik dari katalog" in text) is editor


def test_the_koordinator_adds_edits_withdraws_and_restores_a_service(
    console: TestClient,
) -> None:
    log_in(console, Role.KOORDINATOR)

    added = post_form(
        console,
        "/console/layanan",
        {"code": "iujk", "name": "Izin Usaha Jasa Konstruksi", "group": "berusaha"},
    )
    assert added.status_code == 303
    assert added.headers["location"] == "/console/layanan?pesan=ditambah#layanan-IUJK"
    page = console.get(added.headers["location"]).text
    assert "Layanan ditambahkan ke katalog" in page
    assert 'id="layanan-IUJK"' in page

    renamed = post_form(
        console, "/console/layanan/IUJK", {"name": "Izin Jasa Konstruksi", "group": "non_berusaha"}
    )
    withdrawn = post_form(console, "/console/layanan/IUJK", {"tindakan": "tarik"})
    assert (renamed.status_code, withdrawn.status_code) == (303, 303)
    page = console.get("/console/layanan?pesan=ditarik").text
    assert "Layanan ditarik" in page
    row = page[page.index('id="layanan-IUJK"') :].split("</li>")[0]
    assert "ditarik" in row
    assert "Pulihkan" in row
    restored = post_form(console, "/console/layanan/IUJK", {"tindakan": "pulihkan"})
    assert restored.status_code == 303

    sent = queued_payloads(get_db(), INTAKE_SERVICE_ENTRY_TASK)
    assert [(m["revision"], m["name"], m["group"], m["active"]) for m in sent] == [
        (1, "Izin Usaha Jasa Konstruksi", "berusaha", True),
        (2, "Izin Jasa Konstruksi", "non_berusaha", True),
        (3, "Izin Jasa Konstruksi", "non_berusaha", False),
        (4, "Izin Jasa Konstruksi", "non_berusaha", True),
    ]


def test_bad_input_and_a_duplicate_are_shown_on_the_form_and_change_nothing(
    console: TestClient,
) -> None:
    log_in(console, Role.ADMIN)
    before = stored()

    bad = post_form(console, "/console/layanan", {"code": "a b", "name": "", "group": "x"})
    duplicate = post_form(
        console, "/console/layanan", {"code": "PBG", "name": "Izin lagi", "group": "berusaha"}
    )
    bad_edit = post_form(console, "/console/layanan/PBG", {"name": "P", "group": "berusaha"})

    assert bad.status_code == 422
    assert "Kode layanan: kode layanan 2 sampai 20 karakter" in bad.text
    assert 'value="a b"' in bad.text  # shown again as typed
    assert duplicate.status_code == 409
    assert "Kode layanan PBG sudah ada dalam katalog" in duplicate.text
    assert bad_edit.status_code == 422
    assert "nama layanan minimal 3 karakter" in bad_edit.text
    assert stored() == before


def test_other_roles_may_not_post_to_the_catalogue(console: TestClient) -> None:
    log_in(console, Role.KASI)
    before = stored()
    added = post_form(
        console, "/console/layanan", {"code": "IUJK", "name": "Izin", "group": "berusaha"}
    )
    withdrawn = post_form(console, "/console/layanan/PBG", {"tindakan": "tarik"})
    assert (added.status_code, withdrawn.status_code) == (403, 403)
    assert "Katalog layanan hanya diubah oleh" in added.text
    assert stored() == before


def test_a_form_without_its_csrf_token_is_refused(console: TestClient) -> None:
    log_in(console, Role.KOORDINATOR)
    before = stored()
    forged = console.post("/console/layanan/PBG", data={"tindakan": "tarik"})
    assert forged.status_code == 403
    assert stored() == before


@pytest.fixture
def case_id(configured: dict[str, str]) -> str:
    with get_db().transaction() as session:
        message = filed_message("PGD-LAYN-0003").model_copy(update={"service_code": "PBG"})
        return receive_complaint(session, message).id


def test_the_case_page_shows_the_service_and_the_kasi_corrects_it(
    console: TestClient, case_id: str
) -> None:
    log_in(console, Role.TIM_KOORDINASI)
    page = console.get(f"/console/kasus/{case_id}").text
    assert re.search(
        r'id="layanan">Persetujuan Bangunan Gedung \(PBG\) <span class="code">PBG', page
    )
    assert 'id="form-layanan"' not in page

    log_in(console, Role.KASI)
    page = console.get(f"/console/kasus/{case_id}").text
    form = page[page.index('id="form-layanan"') :]
    assert "<optgroup" in form
    assert '<option value="PBG" selected>' in form

    corrected = post_form(console, f"/console/kasus/{case_id}/layanan", {"service_code": "SLF"})
    assert corrected.status_code == 303
    page = console.get(corrected.headers["location"]).text
    assert "Layanan perizinan laporan ini dikoreksi" in page
    assert "Mengoreksi layanan perizinan: PBG menjadi SLF" in page
    [sent] = queued_payloads(get_db(), INTAKE_CASE_SERVICE_TASK)
    assert sent["service_code"] == "SLF"

    before = stored()
    refused = post_form(console, f"/console/kasus/{case_id}/layanan", {"service_code": "NOPE"})
    assert refused.status_code == 422
    assert "tidak ada dalam katalog layanan" in refused.text
    assert stored() == before
    log_in(console, Role.ADMIN)
    assert (
        post_form(console, f"/console/kasus/{case_id}/layanan", {"service_code": "PBG"}).status_code
        == 403
    )
    with get_db().sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert case.service_code == "SLF"


def test_the_search_form_filters_by_service(console: TestClient, case_id: str) -> None:
    log_in(console, Role.KASI)
    page = console.get("/console/cari?service_code=PBG")
    assert page.status_code == 200
    assert '<option value="PBG" selected>' in page.text
    assert "PGD-LAYN-0003" in page.text
    assert "PGD-LAYN-0003" not in console.get("/console/cari?service_code=SLF").text


def test_catat_pengaduan_offers_the_services_and_sends_the_one_chosen(
    console: TestClient,
) -> None:
    log_in(console, Role.ADMIN)
    form = console.get("/console/catat").text
    assert '<select id="service_code" name="service_code"' in form
    assert '<optgroup label="Perizinan berusaha">' in form

    taken = post_form(console, "/console/catat", taking_form(service_code="APOTEK"))
    assert taken.status_code == 200, taken.text
    assert 'id="layanan">Izin Apotek dan Toko Obat<' in taken.text  # on the printed receipt
    [sent] = queued_payloads(get_db(), INTAKE_TAKEN_TASK)
    assert sent["service_code"] == "APOTEK"

    post_form(console, "/console/layanan/APOTEK", {"tindakan": "tarik"})
    before = stored()
    for code in ("APOTEK", "TIDAK-ADA"):
        refused = post_form(
            console, "/console/catat", taking_form(service_code=code, taking_id=str(uuid.uuid4()))
        )
        assert refused.status_code == 422
        assert "Layanan perizinan: " in refused.text
    assert stored() == before
