"""Errors look like the rest of the site in a real browser: the portal's 404, a form sent after
its CSRF cookie is gone, a form too large to send, and the workflow service's 404s (inside and
outside /console), at phone and desktop size: each a page with the design's header, an
Indonesian heading and a way back, no wider than the window, and clean under axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.support.browser import WINDOW_SIZES, assert_fits_width, check_accessibility

TOO_LARGE = 200_000  # characters: a description pasted from a long document


def assert_error_page(page: Page, heading: str, back: str) -> None:
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("#kembali")).to_have_text(back)
    check_accessibility(page)
    assert_fits_width(page)


def _fill_complaint(page: Page, description: str) -> None:
    page.goto("/")
    page.fill("[name=name]", "Budi Santoso")
    page.check("input[name=channels][value=app]")
    page.fill("[name=subject]", "Izin usaha belum terbit")
    # Past the box's maxlength, as a script or an old browser could send it.
    page.locator("[name=description]").evaluate("(box, text) => { box.value = text; }", description)


@pytest.mark.parametrize("size", WINDOW_SIZES)
def test_error_pages_have_the_sites_design(
    api_urls: dict[str, str], new_page: NewPage, size: str
) -> None:
    portal = new_page(api_urls["intake"], size)
    response = portal.goto("/tidak-ada")
    assert response is not None
    assert response.status == 404
    assert_error_page(portal, "Halaman tidak ditemukan", "Kembali ke beranda")

    _fill_complaint(portal, "Permohonan izin usaha kami sudah tiga minggu belum ada kabar.")
    portal.context.clear_cookies()  # the form outlived its CSRF cookie
    with portal.expect_response(lambda r: r.request.method == "POST") as posted:
        portal.check("#consent")  # the privacy notice agreed to
        portal.get_by_role("button", name="Kirim laporan pengaduan").click()
    assert posted.value.status == 403
    assert_error_page(portal, "Formulir kedaluwarsa", "Kembali ke formulir")

    _fill_complaint(portal, "a" * TOO_LARGE)
    with portal.expect_response(lambda r: r.request.method == "POST") as posted:
        portal.check("#consent")  # the privacy notice agreed to
        portal.get_by_role("button", name="Kirim laporan pengaduan").click()
    assert posted.value.status == 413
    assert_error_page(portal, "Isian terlalu besar", "Kembali ke formulir")
    portal.locator("#kembali").click()
    expect(portal.locator("h1")).to_have_text("Ajukan laporan pengaduan")

    console = new_page(api_urls["workflow"], size)
    for path, heading in (
        ("/", "Halaman tidak ditemukan"),
        ("/console/tidak-ada", "Tidak ditemukan"),
    ):
        response = console.goto(path)
        assert response is not None
        assert response.status == 404
        back = "Kembali ke daftar kerja" if path == "/" else "Masuk"
        assert_error_page(console, heading, back)
