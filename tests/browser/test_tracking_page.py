"""The citizen's tracking page on a phone, live: what the citizen just did stays on the page
through live updates until they dismiss it, a live update changes only what changed and covers
nothing, and the automatic notices are one line each, never an email's text. Staff steps are
taken through the staff API (tools.harness.desk), so only the citizen's page is a browser."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page, expect

from shared.sop import STATUS_LABELS, Role
from tests.browser.conftest import LiveSystem, NewPage
from tests.browser.test_pages_journey import QUESTION, REPLY, checked, open_tracking
from tools.harness.desk import STEP_INPUTS, Desk
from tools.harness.processes import wait_for

LIVE = 60_000  # ms: a staff step travels through the queues and workers to the page


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not laid out"
    return found


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def assert_timeline_uncovered(page: Page) -> None:
    """No other box lies on the timeline, and what is on top at each entry is the entry."""
    timeline = box(page.locator("#riwayat"))
    for other in ("#pembaruan", "#konfirmasi", ".site-header", "footer"):
        for element in page.locator(other).all():
            if element.is_visible():
                assert not overlaps(box(element), timeline), f"{other} covers the timeline"
    on_top = page.evaluate(
        """() => Array.from(document.querySelectorAll('#riwayat li')).map((li) => {
             const r = li.getBoundingClientRect();
             li.scrollIntoView({block: 'center'});
             const s = li.getBoundingClientRect();
             const hit = document.elementFromPoint(s.left + s.width / 2, s.top + 8);
             return li.contains(hit);
           })"""
    )
    assert on_top and all(on_top), f"something lies over the timeline entries: {on_top}"


def record_announcements(page: Page) -> None:
    """Keep every text the polite status line holds in ``window.announced``: a later update may
    replace a line before a test reads it, as it would before a screen reader is done."""
    page.evaluate(
        """() => {
             window.announced = [];
             const line = document.getElementById('pembaruan');
             new MutationObserver(() => window.announced.push(line.textContent))
               .observe(line, {childList: true, characterData: true, subtree: true});
           }"""
    )


def asked_for_information(desk: Desk) -> tuple[dict[str, Any], str]:
    """A complaint registered and then asked for more by the Kasi; its case id."""
    filed = desk.file_complaint()
    code = filed["tracking_code"]
    desk.walk(code, range(1, 2))
    case_id = desk.wait_for_work(Role.KASI, code, 2)["case_id"]
    response = desk.take_path(Role.KASI, case_id, 2, "request_information", {"reason": QUESTION})
    assert response.status_code == 202, response.text
    desk.wait_for_status(filed, "information_requested")
    return filed, case_id


def test_the_reply_confirmation_stays_through_live_updates_until_dismissed(
    live_system: LiveSystem, new_page: NewPage
) -> None:
    desk = live_system.desk
    filed, case_id = asked_for_information(desk)
    citizen = new_page(live_system.intake_url, "phone")
    open_tracking(citizen, filed["tracking_code"], filed["access_token"])

    citizen.fill("[name=message]", REPLY)
    citizen.get_by_role("button", name="Kirim balasan").click()
    confirmation = citizen.locator("#konfirmasi")
    expect(confirmation).to_contain_text("Balasan Anda telah dikirim")
    timeline = citizen.locator("#riwayat")
    expect(timeline).to_contain_text(f"Balasan Anda: {REPLY}")

    # The reply back at the Kasi's step, then the Kasi verifies: live updates, page not reloaded.
    desk.wait_for_work(Role.KASI, filed["tracking_code"], 2)
    record_announcements(citizen)
    response = desk.complete(Role.KASI, case_id, 2)
    assert response.status_code == 202, response.text
    expect(timeline).to_contain_text(STATUS_LABELS["disposition"], timeout=LIVE)
    expect(citizen.locator("#status")).to_have_text(STATUS_LABELS["disposition"])
    # The polite line said so, whichever came first: the status or the notice about it.
    disposition = f"Status diperbarui: {STATUS_LABELS['disposition']}"
    citizen.wait_for_function(
        "(said) => window.announced.some((t) => t.includes(said))", arg=disposition
    )
    expect(confirmation).to_be_visible()  # still there, after every live update
    expect(citizen.locator("#balasan")).to_have_count(0)  # the form went, as the status did
    assert_timeline_uncovered(citizen)
    checked(citizen)

    confirmation.get_by_role("link", name="Tutup pemberitahuan ini").click()
    expect(confirmation).to_have_count(0)
    assert "balasan=" not in citizen.url  # a reload does not bring it back
    expect(citizen.locator("h1")).to_be_focused()
    expect(timeline).to_contain_text(STATUS_LABELS["disposition"])
    checked(citizen)


def test_the_notices_are_short_lines_not_the_emails(
    live_system: LiveSystem, new_page: NewPage
) -> None:
    desk = live_system.desk
    filed = desk.file_complaint(channels=["email", "sms", "app"])
    citizen = new_page(live_system.intake_url, "phone")
    open_tracking(citizen, filed["tracking_code"], filed["access_token"])
    desk.walk(filed["tracking_code"])

    # Received, registered, verified, answered: each arrives on the open page as one line.
    notices = citizen.locator("#pemberitahuan li")
    expect(notices).to_have_count(4, timeout=LIVE)
    expect(citizen.locator("#jawaban")).to_contain_text(STEP_INPUTS[4]["answer"], timeout=LIVE)
    for notice in notices.all():
        assert "\n" not in notice.inner_text().strip()
    page_text = citizen.locator("main").inner_text()
    assert "mohon tidak membalas" not in page_text
    assert "Yth." not in page_text
    assert f"/lacak/{filed['tracking_code']}" not in citizen.locator("#riwayat").inner_html()
    # The emails themselves went to the mailbox.
    assert desk.emails_to()
    assert_timeline_uncovered(citizen)
    checked(citizen)


def failed_on_list(desk: Desk, tracking_code: str) -> list[str]:
    """The channels of the case's deliveries on the operators' list of failed ones."""
    response = desk.workflow.get("/api/v1/notifications/failed", headers=desk.headers(Role.ADMIN))
    assert response.status_code == 200, response.text
    return [d["channel"] for d in response.json() if d["tracking_code"] == tracking_code]


def test_a_notice_that_reached_no_channel_is_said_on_the_page_one_that_reached_one_is_not(
    live_system: LiveSystem, new_page: NewPage
) -> None:
    # This system has no SMS gateway: every SMS fails for good at once ("belum dikonfigurasi").
    desk = live_system.desk
    email_and_sms = desk.file_complaint(channels=["email", "sms"])
    # No email either: a complainant's other contact would be tried when every channel failed.
    sms_only = desk.file_complaint(
        channels=["sms"], reporter={"name": "Budi Santoso", "phone": "081234567890"}
    )

    citizen = new_page(live_system.intake_url, "phone")
    open_tracking(citizen, sms_only["tracking_code"], sms_only["access_token"])
    warning = citizen.locator("#bagian-gagal")
    expect(warning).to_contain_text("Pemberitahuan tidak sampai kepada Anda", timeout=LIVE)
    expect(warning).to_contain_text("tidak dapat kami kirim ke SMS Anda")
    expect(warning).to_contain_text("nomor HP +6281234567890")
    expect(warning).to_contain_text(sms_only["tracking_code"])
    checked(citizen)

    # The other complaint's SMS failed as well, but its email arrived: nothing to say.
    wait_for(
        lambda: "sms" in failed_on_list(desk, email_and_sms["tracking_code"]),
        60,
        "the failed SMS on the operators' list",
    )
    assert desk.emails_to()
    other = new_page(live_system.intake_url, "phone")
    open_tracking(other, email_and_sms["tracking_code"], email_and_sms["access_token"])
    expect(other.locator("#status")).to_be_visible()
    expect(other.locator("#bagian-gagal")).to_be_empty()
