"""Web Push subscriptions: the office's VAPID key, and the browsers a complainant registered.

A subscription's endpoint is a URL the server will POST to: an SSRF vector. Only https
endpoints on public addresses are accepted (and checked again before each push), unless
``webpush_allow_private_endpoints`` is set for tests and development.
"""

from __future__ import annotations

import base64
import ipaddress
import socket
from functools import lru_cache
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.intake.filing.schemas import PushSubscriptionIn
from services.intake.models import Complaint, PushSubscription
from shared.database.engine import utcnow
from shared.runtime.settings import get_settings
from shared.web.domain_errors import Conflict, InvalidInput, NotFound

MAX_SUBSCRIPTIONS_PER_COMPLAINT = 5
PUSH_UNAVAILABLE_MESSAGE = "Notifikasi push belum tersedia pada layanan ini"
TOO_MANY_SUBSCRIPTIONS_MESSAGE = (
    f"Laporan pengaduan ini sudah memiliki {MAX_SUBSCRIPTIONS_PER_COMPLAINT} langganan "
    "notifikasi push (batas maksimal). Hapus langganan dari perangkat lama terlebih dahulu."
)
NOT_HTTPS_MESSAGE = "endpoint harus berupa alamat https layanan push peramban"
PRIVATE_ADDRESS_MESSAGE = (
    "endpoint mengarah ke alamat jaringan internal atau khusus dan tidak diizinkan"
)
UNRESOLVED_MESSAGE = "alamat endpoint tidak dapat ditemukan"


def vapid_key() -> ec.EllipticCurvePrivateKey | None:
    """The key that signs pushes; ``None`` when Web Push is not configured."""
    pem = get_settings().vapid_private_key_pem()
    return None if pem is None else _load_key(pem)


@lru_cache(maxsize=4)
def _load_key(pem: str) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise TypeError("PENGADUAN_WEBPUSH_VAPID_PRIVATE_KEY must be a P-256 (prime256v1) key")
    return key


def public_key() -> str:
    """The applicationServerKey browsers subscribe with: the uncompressed point, base64url."""
    key = vapid_key()
    if key is None:
        raise NotFound(PUSH_UNAVAILABLE_MESSAGE)
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()


def check_endpoint(endpoint: str) -> None:
    """Refuse an endpoint the server must not POST to (``InvalidInput``, in Indonesian)."""
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        raise InvalidInput(NOT_HTTPS_MESSAGE) from None
    host = parts.hostname
    if get_settings().webpush.allow_private_endpoints:
        if parts.scheme not in ("https", "http") or not host:
            raise InvalidInput(NOT_HTTPS_MESSAGE)
        return
    if parts.scheme != "https" or not host or parts.username or parts.password:
        raise InvalidInput(NOT_HTTPS_MESSAGE)
    addresses = _resolve(host, port or 443)
    if not addresses or not all(_is_public(address) for address in addresses):
        raise InvalidInput(PRIVATE_ADDRESS_MESSAGE)


def _resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise InvalidInput(UNRESOLVED_MESSAGE) from None
    # The scope of a link-local IPv6 address ("fe80::1%eth0") is no part of the address.
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def subscribe(session: Session, complaint: Complaint, data: PushSubscriptionIn) -> PushSubscription:
    """Register the browser for the complaint's pushes; the same endpoint again updates it."""
    if vapid_key() is None:
        raise NotFound(PUSH_UNAVAILABLE_MESSAGE)
    check_endpoint(data.endpoint)
    existing = _find(session, complaint, data.endpoint)
    if existing is not None:
        existing.p256dh, existing.auth = data.keys.p256dh, data.keys.auth
        session.flush()
        return existing
    count = session.scalar(
        select(func.count())
        .select_from(PushSubscription)
        .where(PushSubscription.complaint_id == complaint.id)
    )
    if (count or 0) >= MAX_SUBSCRIPTIONS_PER_COMPLAINT:
        raise Conflict(TOO_MANY_SUBSCRIPTIONS_MESSAGE)
    subscription = PushSubscription(
        complaint_id=complaint.id,
        endpoint=data.endpoint,
        p256dh=data.keys.p256dh,
        auth=data.keys.auth,
        created_at=utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(subscription)
    except IntegrityError:  # the same browser registered in a request running alongside
        raced = _find(session, complaint, data.endpoint)
        if raced is None:
            raise
        return raced
    return subscription


def unsubscribe(session: Session, complaint: Complaint, endpoint: str) -> None:
    """Forget the browser; forgetting one that is not registered is no error (the same end)."""
    session.execute(
        delete(PushSubscription).where(
            PushSubscription.complaint_id == complaint.id, PushSubscription.endpoint == endpoint
        )
    )


def _find(session: Session, complaint: Complaint, endpoint: str) -> PushSubscription | None:
    return session.scalar(
        select(PushSubscription).where(
            PushSubscription.complaint_id == complaint.id, PushSubscription.endpoint == endpoint
        )
    )
