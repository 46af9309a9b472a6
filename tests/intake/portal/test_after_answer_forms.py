"""The tracking page after the answer: until when it may be rated and reopened, the rating form
(*puas / tidak puas* on the SKM scale) and the rating given, the form to ask for a reopening and
the request pending, the reopening and the earlier answer on the timeline, and the close. Each
form with the CSRF token and the access cookie, refused in words with nothing stored."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from services.intake.feedback.schemas import REASON_MAX
from shared.messaging.contracts import WORKFLOW_RATED_TASK, WORKFLOW_REOPEN_TASK, ReopenRequestedV1
from tests.intake.conftest import LONG_PAST, answer, outbox_rows, row_counts, status_change
from tests.intake.portal.conftest import assert_clean_page, by_id, file_through_form, form

REASON = "Izin belum dapat diunduh di OSS."
SECOND = "Izin usaha Anda terbit hari ini; silakan unduh di OSS dengan NIB Anda."


def shown(page: str) -> str:
    return " ".join(page.split())


def test_after_the_answer_the_page_offers_the_rating_and_the_reopening(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    answer(code)
    response = portal.get(f"/lacak/{code}")
    page = shown(response.text)

    assert_clean_page(response)
    assert "dibuka kembali sampai <strong><time" in page
    assert "21 Desember 2099, 16.00 WIB" in page
    assert f'action="/lacak/{code}/penilaian"' in page
    for words in ("4 — Sangat baik (puas)", "3 — Baik (puas)", "2 — Kurang baik (tidak puas)"):
        assert words in page
    assert "1 — Tidak baik (tidak puas)" in page
    assert f'action="/lacak/{code}/dibuka-kembali"' in page
    assert page.count('name="csrftoken"') == 2


def test_before_the_answer_neither_form_is_shown(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    page = portal.get(f"/lacak/{code}").text
    assert "/penilaian" not in page and "/dibuka-kembali" not in page


def test_a_rating_is_sent_and_then_shown_instead_of_the_form(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    answer(code)
    response = portal.post(
        f"/lacak/{code}/penilaian",
        data=form(portal, score="4", comment="Terima kasih, sudah terbit."),
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = shown(portal.get(response.headers["location"]).text)

    assert "penilaian Anda atas jawaban pengaduan telah kami terima" in page
    assert "<strong>4 — Sangat baik</strong> (puas)" in page
    assert "Terima kasih, sudah terbit." in page
    assert f'action="/lacak/{code}/penilaian"' not in page
    assert f'action="/lacak/{code}/dibuka-kembali"' in page  # a puas rating reopens nothing
    assert len([r for r in outbox_rows() if r.task_name == WORKFLOW_RATED_TASK]) == 1

    before = row_counts()
    again = portal.post(f"/lacak/{code}/penilaian", data=form(portal, score="1"))
    assert again.status_code == 409
    assert "Penilaian tidak dapat dikirim" in again.text
    assert "sudah Anda nilai" in again.text
    assert row_counts() == before


def test_tidak_puas_shows_the_reopening_as_asked(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    answer(code)
    portal.post(f"/lacak/{code}/penilaian", data=form(portal, score="2", comment=REASON))
    page = shown(portal.get(f"/lacak/{code}").text)

    assert by_id(page, "status") == "Permintaan dibuka kembali sedang diproses"
    assert "Permintaan dibuka kembali sedang diproses.</strong>" in page
    assert "Anda meminta laporan pengaduan dibuka kembali" in page
    assert f"Alasan Anda:</span> {REASON}" in page
    assert f'action="/lacak/{code}/dibuka-kembali"' not in page


def test_an_unchosen_score_and_a_long_comment_are_named_on_their_fields(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    answer(code)
    before = row_counts()
    response = portal.post(f"/lacak/{code}/penilaian", data=form(portal, comment="x" * 2001))

    assert response.status_code == 422
    assert '<a href="#score">Pilih salah satu penilaian</a>' in response.text
    assert '<a href="#comment">Tanggapan: terlalu panjang (maksimal 2000 karakter)</a>' in (
        response.text
    )
    assert row_counts() == before


def test_a_reopen_request_is_sent_from_the_form(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    answer(code)
    response = portal.post(
        f"/lacak/{code}/dibuka-kembali", data=form(portal, reason=REASON), follow_redirects=False
    )
    assert response.status_code == 303
    page = shown(portal.get(response.headers["location"]).text)

    assert "Permintaan dibuka kembali telah diterima dan sedang diproses" in page
    assert by_id(page, "status") == "Permintaan dibuka kembali sedang diproses"
    [row] = [r for r in outbox_rows() if r.task_name == WORKFLOW_REOPEN_TASK]
    assert ReopenRequestedV1.model_validate(row.payload).reason == REASON
    # The answer may still be rated.
    assert f'action="/lacak/{code}/penilaian"' in page


def test_a_reopen_request_without_a_reason_or_too_long_is_refused(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    answer(code)
    before = row_counts()
    blank = portal.post(f"/lacak/{code}/dibuka-kembali", data=form(portal, reason="  "))
    long = portal.post(
        f"/lacak/{code}/dibuka-kembali", data=form(portal, reason="x" * (REASON_MAX + 1))
    )

    assert blank.status_code == long.status_code == 422
    assert '<a href="#reason">Alasan dibuka kembali wajib diisi</a>' in blank.text
    assert "Alasan dibuka kembali: terlalu panjang" in long.text
    assert f'maxlength="{REASON_MAX}"' in blank.text
    assert row_counts() == before


def test_after_the_window_the_reopening_is_not_offered_and_refused(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    answer(code, reopen_until=LONG_PAST)
    page = portal.get(f"/lacak/{code}").text
    assert f'action="/lacak/{code}/dibuka-kembali"' not in page
    assert f'action="/lacak/{code}/penilaian"' in page  # a rating is still welcome

    before = row_counts()
    refused = portal.post(f"/lacak/{code}/dibuka-kembali", data=form(portal, reason=REASON))
    assert refused.status_code == 409
    assert "Permintaan dibuka kembali tidak dapat dikirim" in refused.text
    assert "6 Januari 2020, 16.00 WIB" in refused.text
    assert row_counts() == before


def test_a_reopening_and_the_new_answer_on_the_page_and_its_timeline(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    first = "Izin usaha Anda sedang diproses di OSS."
    answer(code, first)
    status_change(code, "verifying", 12, note=REASON)
    page = shown(portal.get(f"/lacak/{code}").text)
    assert "Dibuka kembali — " in page
    assert f"Alasan dibuka kembali:</span> {REASON}" in page
    assert "/penilaian" not in page and "/dibuka-kembali" not in page

    answer(code, SECOND)
    page = shown(portal.get(f"/lacak/{code}").text)
    assert re.search(rf'id="jawaban".*{re.escape(SECOND)}', page)
    assert f"Jawaban:</span> {first}" in page  # the first answer, kept on the timeline
    assert f"Jawaban:</span> {SECOND}" not in page  # the one shown has its own card
    assert f'action="/lacak/{code}/penilaian"' in page


def test_the_closed_page_says_so_and_refuses_both(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    answer(code)
    status_change(code, "closed", 12)
    page = shown(portal.get(f"/lacak/{code}").text)

    assert "ditutup" in by_id(page, "status")
    assert "Laporan pengaduan ini telah ditutup.</strong>" in page
    assert "/penilaian" not in page and "/dibuka-kembali" not in page
    before = row_counts()
    for path, data in (("penilaian", {"score": "4"}), ("dibuka-kembali", {"reason": REASON})):
        refused = portal.post(f"/lacak/{code}/{path}", data=form(portal, **data))
        assert refused.status_code == 409
        assert "telah ditutup" in refused.text
    assert row_counts() == before


def test_the_forms_need_the_cookie_and_the_csrf_token(portal: TestClient) -> None:
    code, _ = file_through_form(portal)  # filed, but this browser never opened it
    answer(code)
    before = row_counts()
    no_cookie = portal.post(
        f"/lacak/{code}/penilaian", data=form(portal, score="4"), follow_redirects=False
    )
    assert no_cookie.status_code == 303
    assert no_cookie.headers["location"] == f"/lacak?kode={code}"
    no_csrf = portal.post(f"/lacak/{code}/dibuka-kembali", data={"reason": REASON})
    assert no_csrf.status_code == 403
    assert row_counts() == before
