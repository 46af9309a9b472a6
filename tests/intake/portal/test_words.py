"""The portal's words (issue 21, "Words"): no heading repeats the button below it, and the app
channel points at the tracking page, where its inbox is."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.intake.portal.conftest import complaint_form, form
from tests.support.headings import headings_repeated_as_buttons


def test_no_portal_page_repeats_a_heading_as_its_button(portal: TestClient) -> None:
    complaint_page = portal.get("/").text
    assert headings_repeated_as_buttons(complaint_page) == set()
    assert "Aplikasi (kotak masuk di halaman lacak laporan)" in complaint_page
    assert "halaman ini" not in complaint_page
    assert headings_repeated_as_buttons(portal.get("/lacak").text) == set()

    receipt = portal.post("/", data=form(portal, **complaint_form()))
    assert receipt.status_code == 200
    assert headings_repeated_as_buttons(receipt.text) == set()
    assert "<h2>Ikuti laporan Anda</h2>" in receipt.text
    assert '<button type="submit">Lihat perkembangan laporan</button>' in receipt.text
