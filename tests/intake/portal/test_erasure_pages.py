"""The tracking page's early erasure (UU 27/2022): offered only once the complaint is closed, a
confirmation page first (works without JavaScript: a link, then a form POST with the CSRF
token), then the request under way, then the erasure done; the page still opens with the
access cookie after it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from shared.messaging.contracts import WORKFLOW_ERASURE_TASK
from tests.intake.conftest import outbox_rows, row_counts, status_change
from tests.intake.portal.conftest import assert_clean_page, form
from tests.intake.privacy.test_erasure import erased


def shown(page: str) -> str:
    return " ".join(page.split())


def test_an_open_complaint_offers_no_erasure_and_refuses_one_in_words(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    page = portal.get(f"/lacak/{code}").text
    assert "Hapus data pribadi saya" not in page and "/hapus-data" not in page
    assert portal.get(f"/lacak/{code}/hapus-data", follow_redirects=False).status_code == 303
    before = row_counts()

    response = portal.post(f"/lacak/{code}/hapus-data", data=form(portal))

    assert response.status_code == 409
    assert "Data pribadi belum dapat dihapus" in response.text
    assert "setelah laporan pengaduan ditutup" in shown(response.text)
    assert row_counts() == before


def test_a_closed_complaint_is_erased_after_a_confirmation(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    status_change(code, "closed", 10)
    page = portal.get(f"/lacak/{code}")
    assert 'id="hapus-data"' in page.text and "Hapus data pribadi saya" in page.text

    confirm = portal.get(f"/lacak/{code}/hapus-data")
    assert_clean_page(confirm)
    assert "Hapus data pribadi Anda?" in confirm.text
    assert "tidak dapat dibatalkan" in confirm.text
    assert confirm.text.count('name="csrftoken"') == 1
    # Without the form token: refused by the CSRF check, nothing sent.
    forged = portal.post(f"/lacak/{code}/hapus-data", data={}, follow_redirects=False)
    assert forged.status_code == 403
    assert [r for r in outbox_rows() if r.task_name == WORKFLOW_ERASURE_TASK] == []

    sent = portal.post(f"/lacak/{code}/hapus-data", data=form(portal), follow_redirects=False)

    assert sent.status_code == 303
    assert sent.headers["location"] == f"/lacak/{code}?hapus=terkirim"
    after = shown(portal.get(sent.headers["location"]).text)
    assert "Permintaan penghapusan data pribadi Anda telah diterima" in after
    assert "Permintaan penghapusan data pribadi sedang diproses" in after
    assert "/hapus-data" not in after
    assert len([r for r in outbox_rows() if r.task_name == WORKFLOW_ERASURE_TASK]) == 1

    erased(code)
    done = portal.get(f"/lacak/{code}")
    assert done.status_code == 200
    text = shown(done.text)
    assert "Data pribadi Anda pada laporan pengaduan ini telah dihapus" in text
    assert "Budi Santoso" not in text and "budi@example.id" not in text
    assert "[data pribadi dihapus]" in text
