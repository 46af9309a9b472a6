"""Hostile uploads, by hand: a script named .jpg, a PDF with JavaScript, a decompression bomb,
an empty file, a path or control characters for a name, a sixth file, another complaint's token,
a multipart form unlike the portal's. Each gets a 4xx (never a 5xx) and stores nothing: the rows
of attachments and outbox stay as they were, and the attachment store empty."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from shared.web.pages import CSRF_COOKIE
from tests.intake.conftest import file, row_counts, stored_files, upload
from tests.support.attachment_files import SCRIPT, decompression_bomb, pdf, photo_with_gps


@dataclass(frozen=True)
class HostileUpload:
    """One file sent to ``POST .../attachments``; ``token`` names whose access token goes with
    it (``other_token``: another complaint's)."""

    name: str
    filename: str
    data: Callable[[], bytes]
    status: int
    token: str = "token"


HOSTILE_UPLOADS = [
    HostileUpload("script-renamed-jpg", "foto.jpg", lambda: SCRIPT, 415),
    HostileUpload(
        "pdf-with-javascript", "surat.pdf", lambda: pdf(javascript="app.alert('x')"), 422
    ),
    HostileUpload("decompression-bomb", "foto.png", decompression_bomb, 422),
    HostileUpload("empty-file", "foto.jpg", lambda: b"", 422),
    HostileUpload("traversal-name-script", "../../etc/cron.d/x\r\n.jpg", lambda: SCRIPT, 422),
    HostileUpload("another-complaints-token", "foto.jpg", photo_with_gps, 404, "other_token"),
]


@pytest.mark.parametrize("hostile", HOSTILE_UPLOADS, ids=[h.name for h in HOSTILE_UPLOADS])
def test_a_hostile_upload_is_a_4xx_and_stores_nothing(
    browser: TestClient, hostile: HostileUpload
) -> None:
    mine, other = file(browser), file(browser)
    before = row_counts()
    token = (other if hostile.token == "other_token" else mine)["access_token"]

    response = upload(browser, mine, hostile.filename, hostile.data(), token=token)

    assert response.status_code == hostile.status, response.text
    assert response.json()["message"]  # said in words, never a bare status
    assert row_counts() == before  # no attachment row, no outbox message
    assert stored_files() == []


@pytest.mark.parametrize(
    "hostile_name",
    [
        "../../../../tmp/x\x00\x1b[31m\u202egpj.sh\r\n..\\..\\evil.jpg",
        "../../etc/foto.jpg",
        "foto\r\nContent-Type: text/html.jpg",
        "foto\u202egpj.exe",
    ],
    ids=["everything", "traversal", "header-split", "bidi-override"],
)
def test_a_filename_with_traversal_or_control_characters_is_refused_and_stores_nothing(
    browser: TestClient, hostile_name: str
) -> None:
    """A real photo under a name no browser sends (a path, a control or bidi character): the
    whole upload is refused, not renamed, and nothing is kept."""
    filed = file(browser)
    before = row_counts()

    response = upload(browser, filed, hostile_name, photo_with_gps())

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "unsafe_filename"
    assert "garis miring" in response.json()["message"]
    assert row_counts() == before
    assert stored_files() == []


def test_a_sixth_file_where_five_are_allowed_is_refused_and_stores_nothing(
    browser: TestClient,
) -> None:
    filed = file(browser)
    for n in range(5):
        assert upload(browser, filed, f"foto-{n}.jpg", photo_with_gps()).status_code == 201
    before, files = row_counts(), stored_files()

    sixth = upload(browser, filed, "foto-6.jpg", photo_with_gps())

    assert sixth.status_code == 409
    assert sixth.json()["code"] == "too_many_attachments"
    assert row_counts() == before
    assert stored_files() == files


def test_a_multipart_form_unlike_our_pages_is_refused_unread(browser: TestClient) -> None:
    """A token that is not UTF-8, a header no browser writes, and a token hidden behind 200 kB
    of other fields (read that far, a flood would be held in memory): 403, nothing filed."""
    before = row_counts()
    token = browser.cookies[CSRF_COOKIE].encode()
    padding = b'--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n' + b"x" * 1000 + b"\r\n"
    late_token = (
        padding * 200
        + b'--b\r\nContent-Disposition: form-data; name="csrftoken"\r\n\r\n'
        + token
        + b"\r\n--b--\r\n"
    )
    for content_type, body in (
        ("multipart/form-data; boundary=b", late_token),
        (
            "multipart/form-data; boundary=b",
            b'--b\r\nContent-Disposition: form-data; name="csrftoken"\r\n\r\n\xff\xfe\r\n--b--\r\n',
        ),
        ("multipart/form-data;boundary=b", b"--b--\r\n"),  # no space: not a browser's header
        ("multipart/form-data", b"--b--\r\n"),
    ):
        response = browser.post(
            "/",
            content=body,
            headers={
                "Content-Type": content_type,
                "Cookie": f"{CSRF_COOKIE}={browser.cookies[CSRF_COOKIE]}",
            },
        )
        assert response.status_code == 403, (content_type, response.status_code)
    assert row_counts() == before
