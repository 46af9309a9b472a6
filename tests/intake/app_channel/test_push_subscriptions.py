"""Web Push subscriptions: the VAPID public key browsers subscribe with, and the subscriptions a
complainant registers: validated (keys, https, no internal address), limited, idempotent."""

from __future__ import annotations

import base64
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.intake.app_channel.push_subscriptions import MAX_SUBSCRIPTIONS_PER_COMPLAINT
from services.intake.database import get_db
from services.intake.models import PushSubscription
from shared.runtime.settings import Settings, get_settings
from tests.intake.conftest import file, headers
from tests.support.webpush_receiver import Browser, b64url

# A public address written as an IP literal: accepted without asking any DNS server.
PUBLIC_ENDPOINT = "https://93.184.216.34/push/v1/abc"


def subscriptions_url(filed: dict[str, Any]) -> str:
    return f"/api/v1/complaints/{filed['tracking_code']}/push-subscriptions"


def stored() -> list[PushSubscription]:
    with get_db().sessions() as session:
        return list(session.scalars(select(PushSubscription).order_by(PushSubscription.id)))


def subscribe(client: TestClient, filed: dict[str, Any], body: dict[str, Any]) -> Any:
    return client.post(subscriptions_url(filed), json=body, headers=headers(filed))


def test_the_public_key_is_the_configured_keys_uncompressed_point(
    client: TestClient, push_configured: dict[str, str]
) -> None:
    response = client.get("/api/v1/push/public-key")

    assert response.status_code == 200
    key = serialization.load_pem_private_key(
        push_configured["PENGADUAN_WEBPUSH_VAPID_PRIVATE_KEY"].encode(), password=None
    )
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert response.json() == {"public_key": b64url(point)}
    assert len(point) == 65


def test_without_a_vapid_key_push_is_unavailable_in_indonesian(client: TestClient) -> None:
    filed = file(client)
    key = client.get("/api/v1/push/public-key")
    subscribing = subscribe(client, filed, Browser(PUBLIC_ENDPOINT).subscription())

    assert (key.status_code, subscribing.status_code) == (404, 404)
    assert key.json()["message"] == "Notifikasi push belum tersedia pada layanan ini"
    assert stored() == []


def test_the_embedded_mode_keeps_a_generated_key_under_var(tmp_path: Path) -> None:
    embedded = Settings(
        broker={"redis_url": None},
        deployment={"data_dir": tmp_path},
        webpush={"vapid_private_key": None},
    )

    pem = embedded.vapid_private_key_pem()

    assert pem is not None
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    assert isinstance(key.curve, ec.SECP256R1)
    key_file = tmp_path / "webpush-vapid.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert embedded.vapid_private_key_pem() == pem  # kept across calls and restarts
    assert [p.name for p in tmp_path.iterdir()] == ["webpush-vapid.pem"]


def test_outside_the_embedded_mode_no_key_means_push_is_off(tmp_path: Path) -> None:
    settings = Settings(
        broker={"redis_url": "redis://127.0.0.1:1/0"},
        deployment={"data_dir": tmp_path},
        webpush={"vapid_private_key": None},
    )
    assert settings.vapid_private_key_pem() is None
    assert list(tmp_path.iterdir()) == []


def test_a_browser_subscribes_once_however_often_it_asks(
    client: TestClient, push_configured: dict[str, str]
) -> None:
    filed = file(client)
    browser = Browser(PUBLIC_ENDPOINT)

    first = subscribe(client, filed, browser.subscription())
    again = subscribe(client, filed, browser.subscription())

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["endpoint"] == PUBLIC_ENDPOINT
    assert "aktif" in first.json()["message"]
    [row] = stored()
    assert (row.endpoint, row.p256dh) == (PUBLIC_ENDPOINT, browser.p256dh)


def test_subscribing_needs_the_access_token(
    client: TestClient, push_configured: dict[str, str]
) -> None:
    filed = file(client)
    other = file(client)
    body = Browser(PUBLIC_ENDPOINT).subscription()

    missing = client.post(subscriptions_url(filed), json=body)
    wrong = client.post(subscriptions_url(filed), json=body, headers=headers(other))

    assert (missing.status_code, wrong.status_code) == (401, 404)
    assert stored() == []


def _with_keys(**keys: str) -> dict[str, Any]:
    body = Browser(PUBLIC_ENDPOINT).subscription()
    body["keys"].update(keys)
    return body


OFF_CURVE = b64url(b"\x04" + b"\x01" * 64)


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (_with_keys(p256dh=OFF_CURVE), "keys.p256dh", "P-256"),
        (_with_keys(p256dh=b64url(b"\x04" + b"\x01" * 10)), "keys.p256dh", "65 byte"),
        (_with_keys(p256dh="bukan base64!"), "keys.p256dh", "base64url"),
        (_with_keys(auth=b64url(b"\x00" * 8)), "keys.auth", "16 byte"),
        (_with_keys(auth="%%%"), "keys.auth", "16 byte"),
        ({"endpoint": PUBLIC_ENDPOINT}, "keys", "wajib diisi"),
    ],
    ids=["off-curve", "short-key", "not-base64", "short-auth", "bad-auth", "no-keys"],
)
def test_malformed_keys_are_refused_in_indonesian_and_nothing_is_stored(
    client: TestClient,
    push_configured: dict[str, str],
    body: dict[str, Any],
    field: str,
    words: str,
) -> None:
    filed = file(client)

    response = subscribe(client, filed, body)

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == field
    assert words in error["message"]
    assert stored() == []


@pytest.mark.parametrize(
    ("endpoint", "words"),
    [
        ("http://93.184.216.34/push/abc", "https"),
        ("ftp://93.184.216.34/push/abc", "https"),
        ("https://user:secret@93.184.216.34/push", "https"),
        ("https://127.0.0.1/push/abc", "jaringan internal"),
        ("https://localhost:8443/push/abc", "jaringan internal"),
        ("https://10.1.2.3/push/abc", "jaringan internal"),
        ("https://192.168.0.10/push/abc", "jaringan internal"),
        ("https://169.254.169.254/latest/meta-data", "jaringan internal"),
        ("https://[::1]/push/abc", "jaringan internal"),
        ("https://[::ffff:127.0.0.1]/push/abc", "jaringan internal"),
        ("https://0.0.0.0/push/abc", "jaringan internal"),
        ("https://tidak-ada.invalid/push/abc", "tidak dapat ditemukan"),
    ],
)
def test_endpoints_the_server_must_not_post_to_are_refused(
    client: TestClient, push_configured: dict[str, str], endpoint: str, words: str
) -> None:
    filed = file(client)

    response = subscribe(client, filed, Browser(endpoint).subscription())

    assert response.status_code == 422, response.text
    assert words in response.json()["message"]
    assert stored() == []


def test_a_local_endpoint_is_accepted_only_where_private_endpoints_are_allowed(
    client: TestClient, local_push: dict[str, str]
) -> None:
    filed = file(client)
    response = subscribe(client, filed, Browser("http://127.0.0.1:9/push/abc").subscription())
    assert response.status_code == 201
    assert get_settings().webpush.allow_private_endpoints


def test_a_complaint_holds_a_limited_number_of_subscriptions(
    client: TestClient, push_configured: dict[str, str]
) -> None:
    filed = file(client)
    browsers = [Browser(f"{PUBLIC_ENDPOINT}/{n}") for n in range(MAX_SUBSCRIPTIONS_PER_COMPLAINT)]
    for browser in browsers:
        assert subscribe(client, filed, browser.subscription()).status_code == 201

    refused = subscribe(client, filed, Browser(f"{PUBLIC_ENDPOINT}/extra").subscription())
    renewed = subscribe(client, filed, browsers[0].subscription())

    assert refused.status_code == 409
    assert "batas maksimal" in refused.json()["message"]
    assert renewed.status_code == 201  # a browser already subscribed may renew its keys
    assert len(stored()) == MAX_SUBSCRIPTIONS_PER_COMPLAINT


def test_a_browser_unsubscribes_by_its_endpoint(
    client: TestClient, push_configured: dict[str, str]
) -> None:
    filed = file(client)
    kept, dropped = Browser(f"{PUBLIC_ENDPOINT}/1"), Browser(f"{PUBLIC_ENDPOINT}/2")
    for browser in (kept, dropped):
        subscribe(client, filed, browser.subscription())
    url = subscriptions_url(filed)

    first = client.delete(url, params={"endpoint": dropped.endpoint}, headers=headers(filed))
    again = client.delete(url, params={"endpoint": dropped.endpoint}, headers=headers(filed))
    missing = client.delete(url, params={"endpoint": kept.endpoint})

    assert (first.status_code, again.status_code, missing.status_code) == (204, 204, 401)
    assert first.content == b""
    assert [row.endpoint for row in stored()] == [kept.endpoint]


def test_the_documented_key_is_what_push_subscribe_takes(
    client: TestClient, push_configured: dict[str, str]
) -> None:
    key = client.get("/api/v1/push/public-key").json()["public_key"]
    raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert "=" not in key
    assert raw[0] == 0x04
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
