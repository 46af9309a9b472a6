"""The filing form's identity choice in Chromium at a phone's width (360 px): with scripts, the
name and contacts go away when *anonim* is chosen and come back when it is not; without
scripts, the server refuses a name sent with an anonymous complaint on the form, and the
corrected form files it. Either way the receipt says the code and token are the only way back."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.support.browser import check_page

CONTACTS = ("#name", "#email", "#phone", "#channels", "#channels-sms", "#channels-whatsapp")


def describe_the_complaint(page: Page) -> None:
    page.fill("[name=subject]", "Pungutan di loket perizinan")
    page.fill("[name=description]", "Petugas loket meminta uang tambahan agar izin cepat terbit.")


def assert_the_only_way_back(page: Page) -> None:
    warning = page.locator("#jalan-kembali")
    expect(warning).to_contain_text("SATU-SATUNYA jalan")
    expect(page.locator("#kode-pelacakan")).to_be_visible()
    expect(page.locator("#token-akses")).to_be_visible()


def test_choosing_anonim_puts_the_name_and_contacts_away(
    api_urls: dict[str, str], new_page: NewPage
) -> None:
    page = new_page(api_urls["intake"], "phone")
    page.goto("/")
    page.fill("[name=name]", "Budi Santoso")  # typed before changing their mind

    page.get_by_label("Anonim: tanpa nama dan kontak").check()
    for hidden in CONTACTS:
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator("#channels-app")).to_be_checked()
    check_page(page)
    page.get_by_label("Rahasia: nama dan kontak saya hanya dibaca Admin Pengaduan").check()
    for shown in CONTACTS:
        expect(page.locator(shown)).to_be_visible()
    expect(page.locator("#name")).to_have_value("Budi Santoso")

    page.get_by_label("Anonim: tanpa nama dan kontak").check()
    describe_the_complaint(page)
    page.check("#consent")  # the privacy notice agreed to
    page.get_by_role("button", name="Kirim laporan pengaduan").click()
    # The name typed earlier was never sent: the complaint is filed, anonymous.
    assert_the_only_way_back(page)
    check_page(page)


def test_without_scripts_the_server_says_what_to_correct(
    api_urls: dict[str, str], new_page: NewPage
) -> None:
    page = new_page(api_urls["intake"], "phone", javascript=False)
    page.goto("/")
    page.get_by_label("Anonim: tanpa nama dan kontak").check()
    page.fill("[name=name]", "Budi Santoso")
    describe_the_complaint(page)
    page.check("#consent")  # the privacy notice agreed to
    page.get_by_role("button", name="Kirim laporan pengaduan").click()

    expect(page.locator("#identity-galat")).to_contain_text(
        "laporan anonim tidak boleh menyertakan nama"
    )
    expect(page.locator("#identity-anonymous")).to_be_checked()
    # (axe-core and the width checks run scripts in the page: not in a browser without them.)

    page.fill("[name=name]", "")
    page.check("#consent")  # the privacy notice agreed to
    page.get_by_role("button", name="Kirim laporan pengaduan").click()
    assert_the_only_way_back(page)
