"""The portal's way back in, in-process: "lupa token akses?" on the tracking form, its form that
answers every code alike, and the one-time link's page that sets a new token, shows it once and
opens the tracking page, while the old token stops working."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from services.intake.database import get_db
from services.intake.filing.complaints import NOT_FOUND_MESSAGE
from services.intake.tracking import access_links
from services.intake.tracking.access import COOKIE_PREFIX
from shared.database.engine import utcnow
from shared.messaging.contracts import AccessLinkRequestedV1
from shared.runtime.log_setup import AccessFieldsFilter
from tests.intake.conftest import complaint_without_contact, set_settings
from tests.intake.portal.conftest import (
    assert_clean_page,
    by_id,
    file_through_form,
    form,
    open_tracking,
)


def link_for(code: str, *, minutes_ago: float = 0) -> str:
    """A link drawn for ``code`` as intake's worker draws it; its token."""
    with get_db().transaction() as session:
        now = utcnow() - timedelta(minutes=minutes_ago)
        link = access_links.issue(session, AccessLinkRequestedV1(tracking_code=code), now=now)
    assert link is not None
    return link.token


def ask(portal: TestClient, code: str) -> str:
    response = portal.post("/lacak/lupa", data=form(portal, kode=code))
    assert response.status_code == 200, response.text
    return response.text


def test_the_tracking_form_offers_lupa_token(portal: TestClient) -> None:
    page = portal.get("/lacak?kode=PGD-7KQ2-M9XD").text
    assert 'href="/lacak/lupa?kode=PGD-7KQ2-M9XD"' in page
    assert "Lupa token akses?" in page
    form_page = portal.get("/lacak/lupa?kode=PGD-7KQ2-M9XD")
    assert form_page.status_code == 200
    assert_clean_page(form_page)
    assert 'value="PGD-7KQ2-M9XD"' in form_page.text


def test_the_form_says_the_same_for_every_code(portal: TestClient) -> None:
    code, _ = file_through_form(portal)
    pages = [ask(portal, c) for c in (code, "PGD-0000-0000", complaint_without_contact())]
    messages = {page.split('id="pesan-tautan">', 1)[1].split("</div>", 1)[0] for page in pages}
    assert len(messages) == 1
    assert access_links.neutral_message() in pages[0]
    for page in pages:
        assert code not in page


def test_a_blank_code_is_named_and_a_forged_form_refused(portal: TestClient) -> None:
    blank = portal.post("/lacak/lupa", data=form(portal, kode=" "))
    assert blank.status_code == 422
    assert "Kode pelacakan wajib diisi" in blank.text
    forged = portal.post("/lacak/lupa", data={"csrftoken": "palsu", "kode": "PGD-0000-0000"})
    assert forged.status_code == 403


def test_the_form_over_the_limit_is_a_429_page(
    portal: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_settings(monkeypatch, access_link_per_code_limit="1/hour")
    ask(portal, "PGD-0000-0000")
    limited = portal.post("/lacak/lupa", data=form(portal, kode="PGD-0000-0000"))
    assert limited.status_code == 429
    assert "Terlalu banyak permintaan tautan akses" in limited.text
    assert int(limited.headers["Retry-After"]) >= 1


def test_the_link_sets_a_new_token_shown_once_and_opens_the_tracking_page(
    portal: TestClient,
) -> None:
    code, old = file_through_form(portal)
    token = link_for(code)

    page = portal.get(f"/lacak/pulihkan?token={token}")
    assert page.status_code == 200
    assert_clean_page(page)
    assert by_id(page.text, "kode-pelacakan") == code
    assert page.headers["referrer-policy"] == "no-referrer"

    done = portal.post("/lacak/pulihkan", data=form(portal, token=token))
    assert done.status_code == 200
    assert done.headers["cache-control"] == "no-store"
    new = by_id(done.text, "token-akses")
    assert new and new != old
    assert any(COOKIE_PREFIX in c for c in done.headers.get_list("set-cookie"))
    tracking = portal.get(f"/lacak/{code}", follow_redirects=False)
    assert tracking.status_code == 200
    assert by_id(tracking.text, "status")

    assert NOT_FOUND_MESSAGE in open_tracking(portal, code, old).text
    assert open_tracking(portal, code, new).status_code == 303

    again = portal.post("/lacak/pulihkan", data=form(portal, token=token))
    assert again.status_code == 410
    assert "Tautan sudah dipakai" in again.text
    assert 'href="/lacak/lupa"' in again.text
    assert "Tautan sudah dipakai" in portal.get(f"/lacak/pulihkan?token={token}").text


def test_an_expired_superseded_or_unknown_link_says_so(portal: TestClient) -> None:
    code, _ = file_through_form(portal)
    expired = link_for(file_through_form(portal)[0], minutes_ago=31)
    older = link_for(code)
    link_for(code)
    for token, status, title in (
        (expired, 410, "Tautan sudah kedaluwarsa"),
        (older, 410, "Tautan sudah diganti"),
        ("tautan-karangan", 404, "Tautan tidak dikenal"),
    ):
        for response in (
            portal.get(f"/lacak/pulihkan?token={token}"),
            portal.post("/lacak/pulihkan", data=form(portal, token=token)),
        ):
            assert response.status_code == status, title
            assert f"<h1>{title}</h1>" in response.text
            assert not any(COOKIE_PREFIX in c for c in response.headers.get_list("set-cookie"))


def test_the_access_log_masks_the_links_token() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/lacak/pulihkan?token=rahasia-sekali&x=1", "1.1", 200),
        None,
    )
    AccessFieldsFilter().filter(record)
    assert "rahasia-sekali" not in record.getMessage()
    assert "/lacak/pulihkan?token=[redacted]&x=1" in record.getMessage()
