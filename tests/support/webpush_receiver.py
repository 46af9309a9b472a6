"""A local Web Push service: a real HTTP server on 127.0.0.1 that checks each push as a browser
vendor's push service and the browser would.

A test makes a ``Browser`` (a P-256 key pair and a 16-byte auth secret, as
``PushManager.subscribe()`` does) and registers its subscription with intake. Each push must
carry a valid VAPID ``Authorization: vapid t=<JWT>,k=<key>`` (ES256 signed by ``k``, ``aud`` the
endpoint's origin, ``exp`` in the future and at most a day ahead, ``sub`` present) and an
aes128gcm body the browser can decrypt (RFC 8291). Decrypted payloads are kept; a push that
fails a check is kept with the reason and answered 401/400. ``answer_next`` makes it answer
410, 429, 503, ... instead of 201, as a real service does when a browser unsubscribed or it
is overloaded.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

MAX_VAPID_LIFETIME_SECONDS = 24 * 60 * 60  # RFC 8292 section 2


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """The browser side of one subscription: what ``PushSubscription.toJSON()`` gives out, and
    the private key and secret it keeps to decrypt pushes."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: secrets.token_bytes(16))

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    def subscription(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth_secret)},
        }


@dataclass(frozen=True)
class Push:
    endpoint: str
    payload: dict[str, Any]
    ttl: int
    vapid_claims: dict[str, Any]


class PushRefused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


class WebPushReceiver:
    def __init__(self) -> None:
        self.browsers: dict[str, Browser] = {}
        self.received: list[Push] = []
        self.refused: list[str] = []
        self.answered: list[int] = []
        self._answers: deque[int] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> WebPushReceiver:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def browser(self) -> Browser:
        """A new browser with a subscription of its own on this push service."""
        browser = Browser(f"{self.origin}/push/{secrets.token_urlsafe(12)}")
        with self._lock:
            self.browsers[browser.endpoint] = browser
        return browser

    def answer_next(self, *statuses: int) -> None:
        """Answer the next pushes with these statuses (after checking them), then 201 again."""
        with self._lock:
            self._answers.extend(statuses)

    def pushes_to(self, browser: Browser) -> list[Push]:
        with self._lock:
            return [p for p in self.received if p.endpoint == browser.endpoint]

    def _receive(self, path: str, headers: Any, body: bytes) -> int:
        endpoint = f"{self.origin}{path}"
        with self._lock:
            browser = self.browsers.get(endpoint)
        if browser is None:
            raise PushRefused(404, f"no subscription at {path}")
        claims = self._check_vapid(headers.get("Authorization", ""))
        if headers.get("Content-Encoding") != "aes128gcm":
            raise PushRefused(400, f"Content-Encoding {headers.get('Content-Encoding')!r}")
        ttl = headers.get("TTL")
        if ttl is None or not ttl.isdigit():
            raise PushRefused(400, "TTL header missing")
        try:
            plain = http_ece.decrypt(
                body,
                private_key=browser.private_key,
                auth_secret=browser.auth_secret,
                version="aes128gcm",
            )
        except Exception as exc:
            raise PushRefused(400, f"cannot decrypt: {exc!r}") from exc
        with self._lock:
            status = self._answers.popleft() if self._answers else 201
            self.answered.append(status)
            if status == 201:
                self.received.append(Push(endpoint, json.loads(plain), int(ttl), claims))
        return status

    def _check_vapid(self, authorization: str) -> dict[str, Any]:
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise PushRefused(401, f"Authorization scheme {scheme!r}")
        parts = dict(p.strip().split("=", 1) for p in params.split(",") if "=" in p)
        if "t" not in parts or "k" not in parts:
            raise PushRefused(401, "vapid t= or k= missing")
        try:
            key = ec.EllipticCurvePublicKey.from_encoded_point(
                ec.SECP256R1(), b64url_decode(parts["k"])
            )
            claims: dict[str, Any] = jwt.decode(
                parts["t"],
                key=key,
                algorithms=["ES256"],
                audience=self.origin,
                options={"require": ["aud", "exp", "sub"]},
            )
        except (ValueError, jwt.PyJWTError) as exc:
            raise PushRefused(401, f"VAPID token refused: {exc!r}") from exc
        if claims["exp"] > time.time() + MAX_VAPID_LIFETIME_SECONDS:
            raise PushRefused(401, "VAPID token valid for more than a day")
        return claims

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    status = receiver._receive(self.path, self.headers, body)
                except PushRefused as exc:
                    with receiver._lock:
                        receiver.refused.append(str(exc))
                    status = exc.status
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            # http.server's signature; the test server logs nothing.
            def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002
                return

        return Handler
