"""The SKM survey on the citizen's tracking page, on a phone (360 px) with scripts off: after the
rating, the nine questions (each a fieldset named by its question, four radio buttons named Tidak
baik / Kurang baik / Baik / Sangat baik) are answered and sent with plain form posts; the page
thanks the citizen and does not offer the survey again for that answer."""

from __future__ import annotations

from playwright.sync_api import expect

from shared.skm import ELEMENTS
from tests.browser.conftest import LiveSystem, NewPage
from tests.browser.test_pages_journey import open_tracking

# Per question, U1..U9, the answer the citizen picks.
PICKED = (
    "Sangat baik",
    "Baik",
    "Kurang baik",
    "Sangat baik",
    "Baik",
    "Baik",
    "Tidak baik",
    "Baik",
    "Baik",
)


def test_the_survey_is_answered_on_a_phone_without_scripts(
    live_system: LiveSystem, new_page: NewPage
) -> None:
    desk = live_system.desk
    filed = desk.file_complaint()
    code = filed["tracking_code"]
    desk.walk(code)
    desk.wait_for_status(filed, "answered")
    citizen = new_page(live_system.intake_url, "phone", javascript=False)
    open_tracking(citizen, code, filed["access_token"], audit=False)
    expect(citizen.locator("#survei")).to_have_count(0)  # not before the rating

    citizen.get_by_label("4 — Sangat baik (puas)").check()
    citizen.get_by_role("button", name="Kirim penilaian").click()
    survey = citizen.locator("#survei")
    expect(survey).to_be_visible()
    for number, (element, answer) in enumerate(zip(ELEMENTS, PICKED, strict=True), start=1):
        group = survey.get_by_role("group", name=f"{number}. {element.question}")
        expect(group.get_by_role("radio")).to_have_count(4)
        group.get_by_label(answer, exact=True).check()
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 360
    survey.get_by_role("button", name="Kirim survei").click()

    expect(
        citizen.get_by_text("Terima kasih, jawaban survei kepuasan Anda telah kami terima.")
    ).to_be_visible()
    expect(citizen.locator("#survei-terisi")).to_be_visible()
    expect(citizen.locator("#survei")).to_have_count(0)
    citizen.reload()
    expect(citizen.locator("#survei")).to_have_count(0)
    tracked = desk.track(filed)
    assert tracked["survey"]["scores"] == {
        "U1": 4,
        "U2": 3,
        "U3": 2,
        "U4": 4,
        "U5": 3,
        "U6": 3,
        "U7": 1,
        "U8": 3,
        "U9": 3,
    }
