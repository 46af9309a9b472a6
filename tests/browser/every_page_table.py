"""The every-page test's table: each page a person can open (``PAGES``), who opens it, and what
they do there first; one line per page (tests/browser/test_every_page.py opens them)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page, expect

from shared.sop import Role
from tools.harness.desk import CITIZEN_EMAIL

CITIZEN = "warga"  # the portal, no account
GUEST = "tamu"  # the console before signing in
Who = Role | str

# Lookups an hour from one address, so the "wait" page can be reached: the citizen's nine
# openings, the two files attached, the two ratings and the one survey (each counts as a
# lookup) fit below it.
TRACKING_LIMIT = 16
MISSING_CASE = uuid.UUID(int=0)
MISSING_CODE = "PGD-0000-0000"


def fill_the_form(page: Page, ids: dict[str, str]) -> None:
    page.fill("[name=name]", "Budi Santoso")
    page.fill("[name=email]", CITIZEN_EMAIL)
    page.fill("[name=subject]", "Izin reklame belum terbit")
    page.fill(
        "[name=description]", "Permohonan izin reklame kami belum ada kabar sejak bulan lalu."
    )
    page.check("#consent")  # the privacy notice agreed to
    page.get_by_role("button", name="Kirim laporan pengaduan").click()


def choose_anonymous(page: Page, ids: dict[str, str]) -> None:
    """The form with *anonim* chosen: the name and contact fields, and the channels that need
    them, put away by portal.js; the app's channel ticked."""
    page.get_by_label("Anonim: tanpa nama dan kontak").check()
    for hidden in ("#name", "#email", "#phone", "#channels", "#channels-sms", "#channels-whatsapp"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator("#channels-app")).to_be_checked()


def file_naming_a_service(page: Page, ids: dict[str, str]) -> None:
    """The form with a licensing service chosen from the select (its groups as optgroups)."""
    groups = page.locator("#service_code optgroup").evaluate_all("gs => gs.map(g => g.label)")
    assert groups == ["Perizinan berusaha", "Perizinan non berusaha"]
    page.select_option("#service_code", "PBG")
    fill_the_form(page, ids)


def open_a_service_to_edit(page: Page, ids: dict[str, str]) -> None:
    """The Koordinator opens a service's edit form (nothing is saved)."""
    page.locator("#layanan-PBG summary").click()
    expect(page.locator("#PBG-name")).to_be_visible()


def file_anonymously(page: Page, ids: dict[str, str]) -> None:
    choose_anonymous(page, ids)
    page.fill("[name=subject]", "Pungutan di loket perizinan")
    page.fill("[name=description]", "Petugas loket meminta uang tambahan agar izin cepat terbit.")
    page.check("#consent")  # the privacy notice agreed to
    page.get_by_role("button", name="Kirim laporan pengaduan").click()


def send_a_forged_form(page: Page, ids: dict[str, str]) -> None:
    """A form whose CSRF token is not the one the page was given (an old tab, a forged post)."""
    page.locator("[name=csrftoken]").first.evaluate("field => { field.value = 'palsu'; }")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Lihat perkembangan").click()
    assert posted.value.status == 403


def send_too_much(page: Page, ids: dict[str, str]) -> None:
    """A description far past the box's maxlength, as a script or an old browser sends it."""
    page.fill("[name=name]", "Budi Santoso")
    page.fill("[name=subject]", "Izin reklame belum terbit")
    page.locator("[name=description]").evaluate("box => { box.value = 'a'.repeat(200000); }")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.check("#consent")  # the privacy notice agreed to
        page.get_by_role("button", name="Kirim laporan pengaduan").click()
    assert posted.value.status == 413


def look_up_until_limited(page: Page, ids: dict[str, str]) -> None:
    for _ in range(TRACKING_LIMIT + 1):
        page.fill("[name=kode]", ids["answered"])
        page.fill("[name=token]", "token-yang-salah-sama-sekali")
        with page.expect_navigation() as answer:
            page.get_by_role("button", name="Lihat perkembangan").click()
        if answer.value is not None and answer.value.status == 429:
            return
    raise AssertionError(f"no 429 after {TRACKING_LIMIT + 1} lookups")


def ask_for_erasure(page: Page, ids: dict[str, str]) -> None:
    """A closed complaint's page: "Hapus data pribadi saya", then the confirmation's button
    (links and a form: no script needed)."""
    page.click("#hapus-data")
    expect(page.locator("#ya-hapus")).to_be_visible()
    page.click("#ya-hapus")
    expect(page).to_have_url(re.compile(rf"/lacak/{ids['erasing']}\?hapus=terkirim$"))


def ask_for_a_link(page: Page, ids: dict[str, str]) -> None:
    # A code of no complaint: the same answer, and the link of "pulihkan-akses" stays the latest.
    page.fill("[name=kode]", MISSING_CODE)
    page.get_by_role("button", name="Kirim tautan").click()


def chart_labels_readable(page: Page, selector: str = ".sla-chart") -> None:
    """The Mutu Baku chart's words (or those of every chart ``selector`` finds) as big on the
    screen as 14 px text, and none cut off at the chart's edge."""
    texts = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].flatMap(svg => {
            const width = svg.viewBox.baseVal.width;
            const scale = svg.getBoundingClientRect().width / width;
            return [...svg.querySelectorAll('text')].map(t => [
                t.textContent, parseFloat(getComputedStyle(t).fontSize) * scale,
                t.getBBox().x + t.getComputedTextLength() <= width]); })""",
        selector,
    )
    assert texts, "no words in the chart"
    small = [f"{text!r} at {size:.1f} px" for text, size, _ in texts if size < 14]
    assert not small, f"chart text below 14 px: {small}"
    cut = [text for text, _, fits in texts if not fits]
    assert not cut, f"chart text cut off at the edge: {cut}"


def monthly_charts_readable(page: Page) -> None:
    """The monthly report's three charts, readable as the Mutu Baku's; its download links."""
    expect(page.locator(".report-chart")).to_have_count(3)
    chart_labels_readable(page, ".report-chart")
    for fmt in ("csv", "xlsx", "pdf"):
        expect(page.locator(f"#unduh-{fmt}")).to_be_visible()


def take_a_telephone_complaint(page: Page, ids: dict[str, str]) -> None:
    """The Admin Pengaduan types a caller's complaint into "Catat pengaduan"."""
    page.get_by_label("Telepon").check()
    page.fill("[name=name]", "Pak Slamet")
    page.fill("[name=phone]", "0812 3456 7890")
    page.locator("#channels-sms").check()
    page.fill("[name=subject]", "Izin reklame belum terbit")
    page.fill("[name=description]", "Penelepon menyampaikan izin reklamenya belum ada kabar.")
    page.check("#consent")  # the privacy notice agreed to
    page.get_by_role("button", name="Catat laporan pengaduan").click()


def only_the_receipt_prints(page: Page) -> None:
    """Printed, the receipt alone fills an A5 sheet: the console's menu, header, footer and
    links are not on paper; on screen again, they are back."""
    page_sizes = page.evaluate(
        """() => [...document.styleSheets].flatMap(sheet => [...sheet.cssRules])
            .filter(rule => rule instanceof CSSPageRule).map(rule => rule.style.size)"""
    )
    assert "a5" in [size.lower() for size in page_sizes]
    page.emulate_media(media="print")
    try:
        expect(page.locator("#tanda-terima")).to_be_visible()
        expect(page.locator("#token-akses")).to_be_visible()
        for hidden in (".site-header", ".site-footer", ".console-nav", ".no-print"):
            for part in page.locator(hidden).all():
                expect(part).to_be_hidden()
    finally:
        page.emulate_media(media="screen")
    expect(page.locator(".console-nav")).to_be_visible()


def codes_open_cases(page: Page) -> None:
    link = page.locator("#daftar-kerja tbody tr td.code a").first
    expect(link).to_have_attribute("href", re.compile(r"^/console/kasus/[0-9a-f-]{36}$"))
    expect(link).to_be_in_viewport()


@dataclass(frozen=True)
class Shown:
    """A page: its picture's name, who looks, its address (``{name}`` from the module's cases),
    what must be on it, what to do there first, its status, any further check, and where the
    phone's picture starts when the page's point is below the fold (``shoot``)."""

    name: str
    who: Who
    path: str
    ready: str = "main h1"
    then: Callable[[Page, dict[str, str]], None] | None = None
    status: int = 200  # of the address; a page reached by `then` checks its own
    check: Callable[[Page], None] | None = None
    shoot: str | None = None


ADMIN, KASI, KOORDINATOR, TIM = Role.ADMIN, Role.KASI, Role.KOORDINATOR, Role.TIM_KOORDINASI
ACTIONS, WORKLIST, LIST = "#tindakan form", "#daftar-kerja", "#antrean-peran"
REOPENED = "#riwayat li:nth-last-child(2)"  # the answer, then "Dibuka kembali — …"

PAGES = (
    Shown("formulir-pengaduan", CITIZEN, "/", "form"),
    Shown("tanda-terima", CITIZEN, "/", "#kode-pelacakan", then=fill_the_form),
    Shown("formulir-pengaduan-anonim", CITIZEN, "/", "#identity-anonymous", then=choose_anonymous),
    Shown("tanda-terima-anonim", CITIZEN, "/", "#jalan-kembali", then=file_anonymously),
    Shown("tanda-terima-layanan", CITIZEN, "/", "#layanan", then=file_naming_a_service),
    Shown("lacak-formulir", CITIZEN, "/lacak", "[name=kode]"),
    Shown("lacak-pengaduan", CITIZEN, "/lacak/{answered}", "#jawaban"),
    # After the answer: the rating given, a reopening (on the timeline), the close.
    Shown("lacak-dinilai", CITIZEN, "/lacak/{rated}", "#penilaian-anda", shoot="#jawaban"),
    # The SKM survey offered after the rating (nine fieldsets of four radios), and its thanks.
    Shown("lacak-survei", CITIZEN, "/lacak/{rated}", "#survei fieldset", shoot="#survei"),
    Shown(
        "lacak-survei-terisi",
        CITIZEN,
        "/lacak/{surveyed}",
        "#survei-terisi",
        shoot="#survei-terisi",
    ),
    Shown("lacak-dibuka-kembali", CITIZEN, "/lacak/{reopened}", "#riwayat", shoot=REOPENED),
    Shown("lacak-ditutup", CITIZEN, "/lacak/{closed}", "#ditutup", shoot="#jawaban"),
    Shown("hapus-data-konfirmasi", CITIZEN, "/lacak/{closed}/hapus-data", "#ya-hapus"),
    Shown(
        "lacak-penghapusan-diproses",
        CITIZEN,
        "/lacak/{erasing}",
        "#penghapusan-diproses",
        then=ask_for_erasure,
    ),
    Shown("lacak-data-dihapus", CITIZEN, "/lacak/{erased}", "#data-dihapus"),
    Shown("lacak-permintaan-informasi", CITIZEN, "/lacak/{asked}", "[name=message]"),
    Shown(
        "lacak-lampiran", CITIZEN, "/lacak/{attached}", "#lampiran-anda img", shoot="#lampiran-anda"
    ),
    Shown("lupa-token", CITIZEN, "/lacak/lupa", "[name=kode]"),
    Shown("lupa-token-terkirim", CITIZEN, "/lacak/lupa", "#pesan-tautan", then=ask_for_a_link),
    Shown("pulihkan-akses", CITIZEN, "/lacak/pulihkan?token={link_token}", "#kode-pelacakan"),
    Shown("tautan-tidak-dikenal", CITIZEN, "/lacak/pulihkan?token=x", "#minta-lagi", status=404),
    Shown("terlalu-banyak-permintaan", CITIZEN, "/lacak", then=look_up_until_limited),  # 429
    Shown("masuk", GUEST, "/console/masuk", "#form-masuk"),
    Shown("daftar-kerja-admin", ADMIN, "/console", WORKLIST, check=codes_open_cases, shoot=LIST),
    Shown("daftar-kerja-kasi", KASI, "/console", WORKLIST, check=codes_open_cases, shoot=LIST),
    Shown("daftar-kerja-koordinator", KOORDINATOR, "/console", WORKLIST, shoot=LIST),
    Shown("daftar-kerja-tim-koordinasi", TIM, "/console", WORKLIST, shoot=LIST),
    Shown("kasus-admin", ADMIN, "/console/kasus/{admin}", ACTIONS),
    Shown("kasus-kasi", KASI, "/console/kasus/{kasi}", ACTIONS),
    # The case filed with a photo and a PDF: its files, the photo's thumbnail loaded.
    Shown(
        "kasus-lampiran",
        ADMIN,
        "/console/kasus/{attached_case}",
        "#lampiran img",
        shoot="#lampiran",
    ),
    Shown("kasus-koordinator", KOORDINATOR, "/console/kasus/{koordinator}", ACTIONS),
    Shown("kasus-tim-koordinasi", TIM, "/console/kasus/{tim_koordinasi}", ACTIONS),
    Shown("kasus-selesai", ADMIN, "/console/kasus/{answered_case}", "#jawaban", shoot="#riwayat"),
    # The answers list with the round's SKM scores (the survey travels to the workflow).
    Shown(
        "kasus-survei", KASI, "/console/kasus/{surveyed_case}", "[data-survey]", shoot="#penilaian"
    ),
    Shown("cari", KOORDINATOR, "/console/cari?q=izin", "#hasil-cari", shoot="#hasil"),
    # The chart's words as big as 14 px text at both sizes; the table below it as cards.
    Shown(
        "laporan-mutu-baku",
        ADMIN,
        "/console/laporan",
        "#grafik",
        check=chart_labels_readable,
        shoot="#grafik",
    ),
    # The month's figures, charts, IKM and method; for the Kasi too; not the Tim Koordinasi's.
    Shown(
        "laporan-bulanan",
        KOORDINATOR,
        "/console/laporan-bulanan",
        "#tabel-ringkasan",
        check=monthly_charts_readable,
        shoot="#grafik-hasil",
    ),
    Shown("laporan-bulanan-kasi", KASI, "/console/laporan-bulanan", "#tabel-layanan"),
    Shown(
        "laporan-bulanan-bulan-salah",
        ADMIN,
        "/console/laporan-bulanan?bulan=2026-13",
        "#ringkasan-galat",
        status=422,
    ),
    Shown("laporan-bulanan-tim", TIM, "/console/laporan-bulanan", "#galat", status=403),
    Shown("notifikasi-gagal", ADMIN, "/console/notifikasi", "#notifikasi-gagal"),
    Shown("notifikasi-gagal-kasi", KASI, "/console/notifikasi", "#notifikasi-gagal"),
    Shown("antrean", TIM, "/console/antrean", "#antrean"),
    Shown("catat-pengaduan", ADMIN, "/console/catat", "#form-catat"),
    # The licensing services catalogue: the editors' forms, an entry opened; read-only for others.
    Shown("katalog-layanan", KOORDINATOR, "/console/layanan", "#form-layanan-baru"),
    Shown(
        "katalog-layanan-ubah",
        ADMIN,
        "/console/layanan",
        "#layanan-PBG form",
        then=open_a_service_to_edit,
        shoot="#layanan-PBG",
    ),
    Shown("katalog-layanan-tim-koordinasi", TIM, "/console/layanan", "#katalog"),
    Shown(
        "kasus-kasi-koreksi-layanan",
        KASI,
        "/console/kasus/{kasi}",
        "#form-layanan",
        shoot="#koreksi-layanan",
    ),
    Shown(
        "tanda-terima-petugas",
        ADMIN,
        "/console/catat",
        "#tanda-terima",
        then=take_a_telephone_complaint,
        check=only_the_receipt_prints,
    ),
    Shown(
        "menunggu-tanggapan-pengadu",
        ADMIN,
        "/console?tampil=menunggu-pengadu",
        "#menunggu-pengadu",
        shoot="#menunggu-pengadu",
    ),
    Shown("halaman-tidak-ada", ADMIN, f"/console/kasus/{MISSING_CASE}", "#galat", status=404),
    # The errors a browser can meet outside the pages' own forms, in the sites' designs.
    Shown("portal-tidak-ada", CITIZEN, "/tidak-ada", "#kembali", status=404),
    Shown("portal-formulir-kedaluwarsa", CITIZEN, "/lacak", "#kembali", then=send_a_forged_form),
    Shown("portal-isian-terlalu-besar", CITIZEN, "/", "#kembali", then=send_too_much),
    Shown("layanan-petugas-tidak-ada", GUEST, "/tidak-ada", "#kembali", status=404),
)
