"""A citizen who lost the access token, on a phone (360 px): "Lupa token akses?" on the tracking
form, the code typed, the link read from the email the real workers sent, the new token set and
shown once, and the tracking page opened; every page on the way checked as every page is."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import LiveSystem, NewPage
from tests.browser.test_pages_journey import checked
from tools.harness.processes import wait_for

LINK = re.compile(r"https?://\S+/lacak/pulihkan\?token=[A-Za-z0-9_%-]+")


def emailed_link(live_system: LiveSystem, code: str) -> str:
    def arrived() -> list[Any]:
        return [m for m in live_system.desk.emails_to() if code in str(m["Subject"])]

    def link() -> str | None:
        found = [LINK.search(m.get_content()) for m in arrived()]
        return next((f.group(0) for f in found if f is not None), None)

    return wait_for(link, 60, "the access link by email")  # type: ignore[no-any-return]


def test_lupa_token_on_a_phone_brings_the_citizen_back(
    live_system: LiveSystem, new_page: NewPage
) -> None:
    filed = live_system.desk.file_complaint()
    code, old = filed["tracking_code"], filed["access_token"]
    page = new_page(live_system.intake_url, "phone")

    page.goto("/lacak")
    page.get_by_role("link", name="Lupa token akses?").click()
    expect(page.locator("h1")).to_have_text("Lupa token akses")
    checked(page)
    page.fill("[name=kode]", code.lower())
    page.get_by_role("button", name="Kirim tautan").click()
    expect(page.locator("#pesan-tautan")).to_contain_text("tautan untuk membuat token akses baru")
    checked(page)

    link = emailed_link(live_system, code)
    page.goto(link)
    expect(page.locator("#kode-pelacakan")).to_have_text(code)
    checked(page)
    page.get_by_role("button", name="Buat token akses baru").click()
    new = page.locator("#token-akses").inner_text().strip()
    assert new and new != old
    checked(page)
    page.get_by_role("link", name="Lihat perkembangan laporan").click()
    expect(page.locator("#status")).to_be_visible()
    checked(page)

    page.goto(link)  # the email's link again: used now, and it says so
    expect(page.locator("h1")).to_have_text("Tautan sudah dipakai")
    checked(page)
    live_system.desk.track({**filed, "access_token": new})
    refused = live_system.desk.intake.get(
        f"/api/v1/complaints/{code}", headers={"X-Access-Token": old}
    )
    assert refused.status_code == 404
