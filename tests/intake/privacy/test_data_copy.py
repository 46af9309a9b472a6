"""The complainant's copy of their data (UU 27/2022): ``GET /api/v1/complaints/{code}/data``
with the access token, and the tracking page's link with its access cookie, answer one JSON
file holding everything intake keeps of them; another code or token gets the tracking read's
404, never someone else's data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.intake.api.app import create_app
from shared.skm import CODES
from shared.wording import privacy
from tests.intake.conftest import (
    ANSWER,
    CITIZEN_EMAIL,
    answer,
    deliver,
    file,
    headers,
    inbox_message,
    set_settings,
    status_change,
    upload,
)
from tests.intake.portal.conftest import open_tracking
from tests.support.attachment_files import pdf

REQUEST_NOTE = "Mohon kirim nomor permohonan izin Anda."
RATING_COMMENT = "Terima kasih, izin sudah terbit."


@pytest.fixture
def api(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    set_settings(monkeypatch, tracking_limit="1000/minute")
    with TestClient(create_app(), base_url="https://testserver") as client:
        yield client


SURVEY_SCORES = (4, 3, 4, 2, 3, 4, 4, 3, 1)


def _everything(api: TestClient) -> dict[str, Any]:
    """A complaint with something in every part of the copy: an attachment, a request with its
    note, the answer, a rating, an SKM survey and an in-app message."""
    filed = file(
        api,
        consent=True,
        licence_reference="503/0123/IUMK/2026",
        service_code="PBG",
    )
    code = filed["tracking_code"]
    assert upload(api, filed, "kwitansi.pdf", pdf()).status_code == 201
    status_change(code, "information_requested", 3, note=REQUEST_NOTE)
    answer(code)
    rated = api.post(
        f"/api/v1/complaints/{code}/rating",
        json={"score": 4, "comment": RATING_COMMENT},
        headers=headers(filed),
    )
    assert rated.status_code == 201, rated.text
    surveyed = api.post(
        f"/api/v1/complaints/{code}/survey",
        json={"scores": dict(zip(CODES, SURVEY_SCORES, strict=True))},
        headers=headers(filed),
    )
    assert surveyed.status_code == 201, surveyed.text
    deliver(inbox_message(code, title="Jawaban pengaduan", body="Izin usaha Anda telah terbit."))
    return filed


def test_the_copy_holds_everything_intake_keeps_of_the_complainant(api: TestClient) -> None:
    filed = _everything(api)
    code = filed["tracking_code"]

    response = api.get(f"/api/v1/complaints/{code}/data", headers=headers(filed))

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="data-pengaduan-{code}.json"'
    )
    assert response.headers["cache-control"] == "no-store"
    copy = json.loads(response.content)
    assert copy["tracking_code"] == code
    assert copy["identity"] == "shown"
    assert copy["reporter"] == {
        "name": "Budi Santoso",
        "email": CITIZEN_EMAIL,
        "phone": "+6281234567890",
    }
    assert copy["subject"] == "Izin usaha belum terbit"
    assert copy["description"].startswith("Permohonan izin usaha kami")
    assert (copy["licence_reference"], copy["service_code"]) == ("503/0123/IUMK/2026", "PBG")
    assert copy["channels"] == ["email", "sms", "app"]
    assert copy["filed_via"] == "api"
    assert copy["consent"]["given"] is True
    assert copy["consent"]["notice_version"] == privacy.NOTICE_VERSION
    assert [e["status"] for e in copy["timeline"]] == [
        "submitted",
        "information_requested",
        "answered",
    ]
    assert copy["timeline"][1]["note"] == REQUEST_NOTE
    assert copy["answer"]["text"] == ANSWER
    [rating] = copy["ratings"]
    assert (rating["score"], rating["comment"]) == (4, RATING_COMMENT)
    [survey] = copy["surveys"]
    assert survey["scores"] == dict(zip(CODES, SURVEY_SCORES, strict=True))
    assert survey["answered_at"] == rating["answered_at"]
    [attachment] = copy["attachments"]
    assert (attachment["filename"], attachment["media_type"]) == ("kwitansi.pdf", "application/pdf")
    assert attachment["size"] > 0
    [message] = copy["inbox_messages"]
    assert (message["title"], message["body"]) == (
        "Jawaban pengaduan",
        "Izin usaha Anda telah terbit.",
    )
    assert "UU Nomor 27 Tahun 2022" in copy["about"]


def test_an_api_client_that_sent_no_consent_reads_it_as_not_given(api: TestClient) -> None:
    filed = file(api)
    copy = api.get(f"/api/v1/complaints/{filed['tracking_code']}/data", headers=headers(filed))
    assert copy.json()["consent"] == {"given": False, "given_at": None, "notice_version": None}


def test_another_code_or_token_gets_nothing(api: TestClient) -> None:
    mine, theirs = file(api), file(api, reporter={"name": "Siti Aminah"})
    url = f"/api/v1/complaints/{mine['tracking_code']}/data"
    tracking_404 = api.get(
        f"/api/v1/complaints/{mine['tracking_code']}", headers=headers(theirs)
    ).json()

    wrong_token = api.get(url, headers=headers(theirs))
    unknown_code = api.get("/api/v1/complaints/PGD-0000-0000/data", headers=headers(mine))
    no_token = api.get(url)

    assert (wrong_token.status_code, unknown_code.status_code) == (404, 404)
    assert wrong_token.json() == unknown_code.json() == tracking_404
    assert no_token.status_code == 401
    for answer_ in (wrong_token, unknown_code, no_token):
        assert "Budi Santoso" not in answer_.text
        assert "Siti Aminah" not in answer_.text


def test_the_tracking_page_links_the_copy_opened_by_its_cookie(api: TestClient) -> None:
    api.get("/")  # the CSRF cookie, as a browser holds it
    filed = file(api)
    code = filed["tracking_code"]
    assert api.get(f"/lacak/{code}/data").status_code == 404  # no cookie: nothing
    assert open_tracking(api, code, filed["access_token"]).status_code == 303

    page = api.get(f"/lacak/{code}").text
    assert f'id="unduh-data" href="/lacak/{code}/data" download' in page

    download = api.get(f"/lacak/{code}/data")
    assert download.status_code == 200
    assert download.headers["cache-control"] == "no-store"
    assert f"data-pengaduan-{code}.json" in download.headers["content-disposition"]
    assert download.json()["reporter"]["name"] == "Budi Santoso"
    other = file(api, reporter={"name": "Siti Aminah"})
    assert api.get(f"/lacak/{other['tracking_code']}/data").status_code == 404
