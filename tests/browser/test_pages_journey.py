"""A complaint carried by its real users in a real browser (Debian's Chromium): the citizen files
it on the portal, four staff roles take it through the five SOP steps in the console, and the
answer appears on the citizen's tracking page by itself (live updates). The more-information
path goes the same way. Every page on the way is checked as in test_every_page.py (axe, the
window's width, console errors and failed loads)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from shared.sop import STATUS_LABELS, STEPS, SUBMITTED, Role
from tests.browser.conftest import LiveSystem, NewPage
from tests.support.browser import check_page
from tools.harness.desk import CITIZEN_EMAIL, STAFF_PASSWORD, STEP_INPUTS
from tools.harness.processes import wait_for

SUBJECT = "Izin usaha belum terbit"
DESCRIPTION = "Permohonan izin usaha kami sudah tiga minggu belum ada kabar dari dinas."
NIB = "9120001234567"
QUESTION = "Mohon lampirkan nomor permohonan OSS Anda."
REPLY = "Nomor permohonan OSS kami: I-202611290001."


def checked(page: Page) -> None:
    """Every page on the way: accessible, no wider than the window, nothing cut off in a
    sideways scroll box, no console error and no failed load since the last check."""
    check_page(page)


def file_complaint(page: Page, *, audit: bool = True) -> tuple[str, str]:
    """The citizen fills in the form, as on a phone; the receipt's code and token. ``audit``:
    run axe and the width check (they run as scripts in the page, so not with scripts off)."""
    page.goto("/")
    if audit:
        checked(page)
    page.fill("[name=name]", "Budi Santoso")
    page.fill("[name=email]", CITIZEN_EMAIL)
    page.fill("[name=phone]", "081234567890")
    page.check("input[name=channels][value=email]")
    page.check("input[name=channels][value=app]")
    page.fill("[name=subject]", SUBJECT)
    page.fill("[name=description]", DESCRIPTION)
    page.fill("[name=licence_reference]", NIB)
    page.check("#consent")  # the privacy notice agreed to
    page.get_by_role("button", name="Kirim laporan pengaduan").click()
    code = page.locator("#kode-pelacakan").inner_text().strip()
    token = page.locator("#token-akses").inner_text().strip()
    assert code.startswith("PGD-")
    # Received, not yet registered: the receipt is the filing's own answer.
    expect(page.locator("#status")).to_have_text(STATUS_LABELS[SUBMITTED])
    assert len(token) >= 20  # a real secret, not a placeholder
    if audit:
        checked(page)
    return code, token


def open_tracking(page: Page, code: str, token: str, *, audit: bool = True) -> None:
    page.goto("/lacak")
    if audit:
        checked(page)
    page.fill("[name=kode]", code)
    page.fill("[name=token]", token)
    page.get_by_role("button", name="Lihat perkembangan").click()
    expect(page.locator("#status")).to_be_visible()
    assert token not in page.url
    if audit:
        checked(page)


def log_in(page: Page, role: Role) -> None:
    page.goto("/console/masuk")
    checked(page)
    page.fill("[name=username]", f"uji_{role.value}")
    page.fill("[name=password]", STAFF_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/console$"))


def open_case_from_worklist(page: Page, code: str) -> None:
    """Wait for the case on the role's worklist (the hand-off travels through the queues), then
    open it."""

    def listed() -> bool:
        page.goto("/console")
        return page.get_by_text(code).count() > 0

    wait_for(listed, 60, f"{code} on the worklist")
    checked(page)
    page.locator("tr", has_text=code).get_by_role("link").first.click()
    expect(page.get_by_text(code).first).to_be_visible()
    checked(page)


def take_action(page: Page, path: str, fields: dict[str, Any]) -> None:
    """Claim the case if the console asks for it, fill the action's fields (a list ticks the
    boxes of those values), send it."""
    claim = page.locator("form[data-path=claim]")
    if claim.count():
        claim.get_by_role("button").click()
    form = page.locator(f"form[data-path={path}]")
    expect(form).to_be_visible()
    for name, value in fields.items():
        if isinstance(value, list):
            for ticked in value:
                form.locator(f"input[name={name}][value={ticked}]").check()
        else:
            form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    expect(page.locator(f"form[data-path={path}]")).to_have_count(0)


def as_role(new_page: NewPage, system: LiveSystem) -> Callable[[Role], Page]:
    pages: dict[Role, Page] = {}

    def staff(role: Role) -> Page:
        if role not in pages:
            pages[role] = new_page(system.workflow_url)
            log_in(pages[role], role)
        return pages[role]

    return staff


def test_a_complaint_goes_from_the_portal_through_the_console_to_the_answer(
    live_system: LiveSystem, new_page: NewPage
) -> None:
    citizen = new_page(live_system.intake_url, "phone")
    code, token = file_complaint(citizen)
    open_tracking(citizen, code, token)
    staff = as_role(new_page, live_system)

    for step in STEPS:
        page = staff(step.role)
        open_case_from_worklist(page, code)
        if step.number == 1:
            expect(page.get_by_text(NIB)).to_be_visible()  # the licence reference reached staff
        take_action(page, "complete", STEP_INPUTS[step.number])

    # The citizen's page, open all along, shows the answer without being reloaded.
    expect(citizen.locator("#jawaban")).to_contain_text(STEP_INPUTS[4]["answer"], timeout=60_000)
    checked(citizen)

    report = staff(Role.ADMIN)
    report.goto("/console/laporan")
    expect(report.locator("svg")).to_be_visible()
    checked(report)
    for path in ("/console/cari", "/console/notifikasi"):
        report.goto(path)
        checked(report)


def test_the_office_asks_for_more_information_and_the_citizen_answers_on_the_page(
    live_system: LiveSystem, new_page: NewPage
) -> None:
    citizen = new_page(live_system.intake_url, "phone")
    code, token = file_complaint(citizen)
    staff = as_role(new_page, live_system)

    admin = staff(Role.ADMIN)
    open_case_from_worklist(admin, code)
    take_action(admin, "complete", STEP_INPUTS[1])
    kasi = staff(Role.KASI)
    open_case_from_worklist(kasi, code)
    take_action(kasi, "request_information", {"reason": QUESTION})

    open_tracking(citizen, code, token)
    expect(citizen.get_by_text(QUESTION).first).to_be_visible()
    citizen.fill("[name=message]", REPLY)
    citizen.get_by_role("button", name="Kirim balasan").click()
    checked(citizen)

    # Back on the Kasi's worklist at step 2, with the reply on the case's record.
    open_case_from_worklist(kasi, code)
    expect(kasi.get_by_text(REPLY).first).to_be_visible()
    take_action(kasi, "complete", STEP_INPUTS[2])


def test_the_form_tells_what_is_wrong_in_indonesian_and_keeps_what_was_typed(
    live_system: LiveSystem, new_page: NewPage
) -> None:
    citizen = new_page(live_system.intake_url, "phone")
    citizen.goto("/")
    citizen.fill("[name=name]", "Budi Santoso")
    citizen.fill("[name=email]", "bukan-email")
    citizen.fill("[name=subject]", SUBJECT)
    # The browser's own checks would stop the post first; the server's are the ones to see.
    citizen.evaluate("document.querySelector('form').noValidate = true")
    citizen.check("#consent")  # the privacy notice agreed to
    citizen.get_by_role("button", name="Kirim laporan pengaduan").click()
    summary = citizen.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(citizen.locator("[name=name]")).to_have_value("Budi Santoso")
    expect(citizen.locator("[name=email]")).to_have_attribute("aria-invalid", "true")
    checked(citizen)
    assert live_system.desk.emails_to() == []


def test_filing_and_tracking_work_with_scripts_off(
    live_system: LiveSystem, new_page: NewPage
) -> None:
    citizen = new_page(live_system.intake_url, "phone", javascript=False)
    code, token = file_complaint(citizen, audit=False)
    open_tracking(citizen, code, token, audit=False)
    expect(citizen.locator("#status")).not_to_be_empty()
    expect(citizen.get_by_text(code).first).to_be_visible()


def test_the_console_is_usable_on_a_phone(live_system: LiveSystem, new_page: NewPage) -> None:
    code = live_system.desk.file_complaint()["tracking_code"]
    staff = new_page(live_system.workflow_url, "phone")
    log_in(staff, Role.ADMIN)
    open_case_from_worklist(staff, code)
    take_action(staff, "complete", STEP_INPUTS[1])
    pages = ("/console", "/console/cari", "/console/laporan", "/console/notifikasi")
    for path in (*pages, "/console/antrean"):
        staff.goto(path)
        checked(staff)

    def kasi_waiting() -> str:
        staff.goto("/console/antrean")
        # On a phone the row is a card: "Menunggu: 1"
        return staff.locator("#antrean tr[data-role=kasi] td").first.inner_text().split()[-1]

    # The case handed on to the Kasi shows in the Kasi's row, readable by the Admin too.
    wait_for(lambda: kasi_waiting() == "1", 60, "the Kasi's backlog on /console/antrean")
    # The error pages are pages too.
    missing = staff.goto(f"/console/kasus/{uuid.uuid4()}")
    assert missing is not None
    assert missing.status == 404
    checked(staff)


def test_a_wrong_token_shows_nothing_of_the_complaint(
    live_system: LiveSystem, new_page: NewPage
) -> None:
    code = live_system.desk.file_complaint()["tracking_code"]
    citizen = new_page(live_system.intake_url, "phone")
    citizen.goto("/lacak")
    citizen.fill("[name=kode]", code)
    citizen.fill("[name=token]", "token-yang-salah-sama-sekali")
    citizen.get_by_role("button", name="Lihat perkembangan").click()
    expect(citizen.locator("#status")).to_have_count(0)
    expect(citizen.get_by_text("Izin usaha belum terbit")).to_have_count(0)
    checked(citizen)
