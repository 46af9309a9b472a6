"""Hostile requests, by hand: each gets a 4xx (never a 5xx) and changes nothing — the rows of
complaints, timeline, outbox and attachments stay as they were, and the attachment store empty.
Oversized bodies, wrong content types, invalid UTF-8, nesting bombs, forged or replayed access
tokens, forged request ids, an enumeration of tracking codes, which ends in 429 and never tells a
real code from a missing one. Hostile uploads are in test_hostile_uploads.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from services.intake.api.app import create_app
from services.intake.tracking.codes import new_tracking_code
from shared.web.pages import CSRF_COOKIE
from tests.intake.conftest import (
    complaint_body,
    file,
    row_counts,
    set_settings,
)

FILING = "/api/v1/complaints"
VALID = json.dumps(complaint_body()).encode()


@dataclass(frozen=True)
class Hostile:
    """One request: ``path`` may name ``{code}`` (a real tracking code) and headers ``{token}``
    (its real access token) or ``{other_token}`` (another complaint's)."""

    name: str
    method: str
    path: str
    content: bytes | None = None
    headers: dict[str, str | bytes] = field(default_factory=dict)


HOSTILE = [
    # Sizes.
    Hostile(
        "json-1mb",
        "POST",
        FILING,
        json.dumps(complaint_body(description="x" * 2**20)).encode(),
        {"Content-Type": "application/json"},
    ),
    Hostile(
        "reply-1mb",
        "POST",
        "/api/v1/complaints/{code}/replies",
        json.dumps({"message": "x" * 2**20}).encode(),
        {"Content-Type": "application/json", "X-Access-Token": "{token}"},
    ),
    Hostile(
        "form-1mb",
        "POST",
        "/",
        b"name=" + b"x" * 2**20,
        {"Content-Type": "application/x-www-form-urlencoded"},
    ),
    # Content types.
    Hostile("text-plain", "POST", FILING, VALID, {"Content-Type": "text/plain"}),
    Hostile(
        "multipart",
        "POST",
        FILING,
        b'--b\r\nContent-Disposition: form-data; name="subject"\r\n\r\nIzin\r\n--b--\r\n',
        {"Content-Type": "multipart/form-data; boundary=b"},
    ),
    Hostile(
        "xml",
        "POST",
        FILING,
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><complaint>&b;</complaint>',
        {"Content-Type": "application/xml"},
    ),
    Hostile("no-content-type", "POST", FILING, VALID),
    Hostile("json-to-the-form", "POST", "/", VALID, {"Content-Type": "application/json"}),
    # Encodings and shapes.
    Hostile(
        "invalid-utf8",
        "POST",
        FILING,
        VALID.replace(b"Budi Santoso", b"Budi \xff\xfe Santoso"),
        {"Content-Type": "application/json"},
    ),
    # Valid JSON in another Unicode encoding, which Python's json.loads would read: RFC 8259
    # asks for UTF-8 between systems, and so does the API.
    *(
        Hostile(
            f"json-{encoding}",
            "POST",
            FILING,
            json.dumps(complaint_body()).encode(encoding),
            {"Content-Type": "application/json"},
        )
        for encoding in ("utf-16", "utf-16-le", "utf-32")
    ),
    Hostile(
        "nested-arrays",
        "POST",
        FILING,
        b"[" * 50_000 + b"]" * 50_000,
        {"Content-Type": "application/json"},
    ),
    Hostile(
        "nested-objects",
        "POST",
        FILING,
        b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
        {"Content-Type": "application/json"},
    ),
    Hostile(
        "nested-in-a-field",
        "POST",
        FILING,
        json.dumps(complaint_body())
        .replace('"Izin usaha belum terbit"', "[" * 20_000 + "]" * 20_000)
        .encode(),
        {"Content-Type": "application/json"},
    ),
    Hostile(
        "huge-number",
        "POST",
        FILING,
        b'{"subject": 1' + b"0" * 30_000 + b"}",
        {"Content-Type": "application/json"},
    ),
    Hostile(
        "nul-in-text",
        "POST",
        FILING,
        json.dumps(complaint_body(subject="Izin\u0000usaha")).encode(),
        {"Content-Type": "application/json"},
    ),
    Hostile(
        "lone-surrogate",
        "POST",
        FILING,
        VALID.replace(b"Budi Santoso", b"Budi \\ud800 Santoso"),
        {"Content-Type": "application/json"},
    ),
    # Access tokens.
    Hostile("no-token", "GET", "/api/v1/complaints/{code}"),
    Hostile(
        "forged-token", "GET", "/api/v1/complaints/{code}", headers={"X-Access-Token": "A" * 43}
    ),
    Hostile(
        "replayed-other-token",
        "GET",
        "/api/v1/complaints/{code}",
        headers={"X-Access-Token": "{other_token}"},
    ),
    Hostile("token-as-query", "GET", "/api/v1/complaints/{code}?access_token={token}"),
    Hostile(
        "huge-token", "GET", "/api/v1/complaints/{code}", headers={"X-Access-Token": "A" * 7000}
    ),
    Hostile(
        "latin1-token",
        "GET",
        "/api/v1/complaints/{code}",
        headers={"X-Access-Token": "t\u00f6ken".encode("latin-1")},
    ),
    Hostile(
        "forged-token-reply",
        "POST",
        "/api/v1/complaints/{code}/replies",
        json.dumps({"message": "Ini balasan palsu"}).encode(),
        {"Content-Type": "application/json", "X-Access-Token": "{other_token}"},
    ),
    Hostile(
        "forged-token-push",
        "POST",
        "/api/v1/complaints/{code}/push-subscriptions",
        json.dumps(
            {"endpoint": "https://push.example/x", "keys": {"p256dh": "x", "auth": "y"}}
        ).encode(),
        {"Content-Type": "application/json", "X-Access-Token": "A" * 43},
    ),
    Hostile(
        "forged-cookie-page",
        "GET",
        "/lacak/{code}/events",
        headers={"Cookie": "pgd_lacak_{code}=9999999999.deadbeef"},
    ),
    Hostile(
        "code-with-nul",
        "GET",
        "/api/v1/complaints/PGD-%00-0000",
        headers={"X-Access-Token": "{token}"},
    ),
    Hostile(
        "code-traversal",
        "GET",
        "/api/v1/complaints/..%2F..%2Fetc%2Fpasswd",
        headers={"X-Access-Token": "{token}"},
    ),
    # Request ids: a forged one neither breaks the request nor is taken over.
    Hostile(
        "forged-request-id",
        "POST",
        FILING,
        b"{}",
        {"Content-Type": "application/json", "X-Request-ID": "../../admin\t<script>"},
    ),
    Hostile(
        "huge-request-id", "GET", "/api/v1/complaints/{code}", headers={"X-Request-ID": "x" * 8000}
    ),
    # Idempotency keys.
    Hostile(
        "key-with-newline-escape",
        "POST",
        FILING,
        VALID,
        {"Content-Type": "application/json", "Idempotency-Key": b"a\x85b"},
    ),
]


def _fill(text: str | bytes, values: dict[str, str]) -> Any:
    if isinstance(text, bytes):  # sent as the raw bytes (httpx sends str headers as ASCII)
        return text
    for name, value in values.items():
        text = text.replace(f"{{{name}}}", value)
    return text


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
def test_a_hostile_request_is_a_4xx_and_changes_nothing(
    browser: TestClient, hostile: Hostile
) -> None:
    mine, other = file(browser), file(browser)
    values = {
        "code": mine["tracking_code"],
        "token": mine["access_token"],
        "other_token": other["access_token"],
    }
    before = row_counts()

    headers = {name: _fill(value, values) for name, value in hostile.headers.items()}
    if hostile.method == "POST" and not hostile.path.startswith("/api/"):
        headers.setdefault("Cookie", f"{CSRF_COOKIE}={browser.cookies[CSRF_COOKIE]}")
    response = browser.request(
        hostile.method,
        _fill(hostile.path, values),
        content=hostile.content,
        headers=headers,
        follow_redirects=False,
    )

    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert row_counts() == before
    forged_id = headers.get("X-Request-ID")
    if forged_id is not None:
        assert response.headers["X-Request-ID"] != forged_id


@pytest.fixture
def limited(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    set_settings(monkeypatch, tracking_limit="20/minute")
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client


def _shape(response: httpx.Response) -> tuple[int, Any, str]:
    return response.status_code, response.json(), response.headers["content-type"]


def test_enumerating_codes_gets_404s_then_429_and_never_tells_real_from_missing(
    limited: TestClient,
) -> None:
    real = file(limited)["tracking_code"]
    before = row_counts()
    guess = {"X-Access-Token": "A" * 43}

    existing = limited.get(f"/api/v1/complaints/{real}", headers=guess)
    missing = limited.get(f"/api/v1/complaints/{new_tracking_code()}", headers=guess)
    assert existing.status_code == 404
    assert _shape(existing) == _shape(missing)
    assert existing.headers.get("Cache-Control") == missing.headers.get("Cache-Control")

    statuses = [
        limited.get(f"/api/v1/complaints/{new_tracking_code()}", headers=guess).status_code
        for _ in range(25)
    ]

    assert statuses == [404] * 18 + [429] * 7  # 20 a minute, two spent above
    # Once limited, the real code answers exactly as a missing one does.
    assert _shape(limited.get(f"/api/v1/complaints/{real}", headers=guess)) == _shape(
        limited.get(f"/api/v1/complaints/{new_tracking_code()}", headers=guess)
    )
    assert row_counts() == before


def test_enumerating_through_the_portal_gets_404_pages_then_429(
    configured: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    set_settings(monkeypatch, tracking_limit="5/minute")
    with TestClient(create_app(), base_url="https://testserver") as portal:
        portal.get("/")
        statuses = [
            portal.post(
                "/lacak",
                data={
                    "csrftoken": portal.cookies[CSRF_COOKIE],
                    "kode": new_tracking_code(),
                    "token": "A" * 43,
                },
                follow_redirects=False,
            ).status_code
            for _ in range(7)
        ]
    assert statuses == [404] * 5 + [429] * 2


def test_a_complaint_in_utf16_is_refused_in_indonesian_and_in_utf8_accepted(
    browser: TestClient,
) -> None:
    before = row_counts()
    for encoding in ("utf-16", "utf-32-be"):
        refused = browser.post(
            FILING,
            content=json.dumps(complaint_body()).encode(encoding),
            headers={"Content-Type": "application/json"},
        )
        assert refused.status_code == 400
        assert (
            refused.json()["message"] == "Isi permintaan tidak dapat dibaca; kirim JSON dalam UTF-8"
        )
    assert row_counts() == before
    accepted = browser.post(
        FILING,
        content=json.dumps(complaint_body(), ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json"},
    )
    assert accepted.status_code == 202, accepted.text
