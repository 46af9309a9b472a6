"""Pushing one inbox message to one browser (Web Push: VAPID-signed, RFC 8291-encrypted).

The push service's answer decides: 201/202 sent; 404/410 the browser unsubscribed (the
subscription is deleted); 429, 5xx, a timeout or a lost connection are passing
(``TransientPushError``, retried with backoff by the consumer); any other answer fails for good.
The inbox keeps the message either way: a push is a doorbell, not the delivery of record.

The push runs inside the consumer's transaction, like the notifier's sends: on SQLite that
holds intake's write lock for at most ``webpush_timeout_seconds``.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.app_channel.push_subscriptions import check_endpoint, vapid_key
from services.intake.models import Complaint, InboxMessage, PushDelivery, PushSubscription
from shared.database.engine import utcnow
from shared.messaging.contracts import PushDeliveryV1
from shared.runtime.settings import get_settings
from shared.web.domain_errors import InvalidInput

log = logging.getLogger(__name__)

SENT, FAILED, RETRYING = "sent", "failed", "retrying"
# A push not delivered within a day is stale: the inbox and the tracking page have it anyway.
TTL_SECONDS = 24 * 60 * 60
BODY_PREVIEW_CHARS = 200  # the notification shows a preview; the inbox holds the whole text
GONE = frozenset({404, 410})
TOO_MANY_REQUESTS = 429
SERVER_ERROR = 500


class TransientPushError(Exception):
    """The push service could not take the push now; another try later may succeed."""


def send_push(session: Session, msg: PushDeliveryV1) -> None:
    delivery = _delivery(session, msg)
    if delivery.status in (SENT, FAILED):
        log.info("push delivery %s already %s", delivery.id, delivery.status)
        return
    delivery.attempts += 1
    message = session.get(InboxMessage, msg.inbox_message_id)
    subscription = session.get(PushSubscription, msg.subscription_id)
    key = vapid_key()
    if message is None or subscription is None:
        _fail(delivery, "the inbox message or the subscription no longer exists")
        return
    if key is None:
        _fail(delivery, "Web Push is not configured (no VAPID key)")
        return
    try:
        check_endpoint(subscription.endpoint)  # again: the name may resolve elsewhere now
    except InvalidInput as exc:
        _fail(delivery, f"endpoint refused: {exc.message}")
        return
    complaint = session.get(Complaint, message.complaint_id)
    assert complaint is not None  # noqa: S101 - the foreign key says so
    status = _post(subscription, _payload(message, complaint.tracking_code), key)
    if 200 <= status < 300:
        delivery.status, delivery.sent_at, delivery.detail = SENT, utcnow(), None
        log.info("push delivery %s sent (HTTP %s)", delivery.id, status)
    elif status in GONE:
        session.delete(subscription)
        _fail(delivery, f"subscription gone (HTTP {status}); deleted")
    else:
        _fail(delivery, f"push service refused the push (HTTP {status})")
    session.flush()


def record_retry(session: Session, msg: PushDeliveryV1, exc: BaseException) -> None:
    """A try failed and will be retried: counted here, its transaction having rolled back."""
    delivery = _delivery(session, msg)
    delivery.attempts += 1
    delivery.status, delivery.detail = RETRYING, str(exc)[:1000]


def record_given_up(session: Session, msg: PushDeliveryV1, exc: BaseException) -> None:
    delivery = _delivery(session, msg)
    delivery.status, delivery.detail = FAILED, f"gave up: {exc}"[:1000]


def _delivery(session: Session, msg: PushDeliveryV1) -> PushDelivery:
    delivery = session.scalar(
        select(PushDelivery).where(
            PushDelivery.inbox_message_id == msg.inbox_message_id,
            PushDelivery.subscription_id == msg.subscription_id,
        )
    )
    if delivery is None:
        delivery = PushDelivery(
            inbox_message_id=msg.inbox_message_id,
            subscription_id=msg.subscription_id,
            status=RETRYING,
            attempts=0,
            created_at=utcnow(),
        )
        session.add(delivery)
        session.flush()
    return delivery


def _fail(delivery: PushDelivery, detail: str) -> None:
    delivery.status, delivery.detail = FAILED, detail
    log.warning("push delivery %s failed: %s", delivery.id, detail)


def _payload(message: InboxMessage, tracking_code: str) -> dict[str, Any]:
    body = message.body
    if len(body) > BODY_PREVIEW_CHARS:
        body = body[: BODY_PREVIEW_CHARS - 1].rstrip() + "…"
    return {
        "title": message.title,
        "body": body,
        "tracking_code": tracking_code,
        "url": get_settings().web.tracking_url(tracking_code),
    }


class _NoRedirects(requests.Session):
    """A redirect could lead the POST to an address the endpoint check refused: a 3xx answer
    is taken as the push service's answer (a refusal), never followed."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs["allow_redirects"] = False
        return super().request(*args, **kwargs)


@functools.cache
def _http(pid: int) -> _NoRedirects:  # noqa: ARG001 - the cache's key, see below
    """The HTTP session of process ``pid`` for push services (call with ``os.getpid()``, so a
    forked worker child never shares its parent's connections): a session per push paid a new
    TLS connection, and its context, to the push service every time."""
    return _NoRedirects()


def _post(
    subscription: PushSubscription, payload: dict[str, Any], key: ec.EllipticCurvePrivateKey
) -> int:
    """The push service's HTTP status; ``TransientPushError`` when worth another try."""
    # Here, not at the top: pywebpush and the aiohttp it imports are ~20 MiB that an intake
    # worker at rest (and every process importing this module for its other functions) does
    # without until a citizen's app has a push to receive.
    from pywebpush import Vapid, WebPushException, webpush  # noqa: PLC0415

    settings = get_settings()
    try:
        response = webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(payload, ensure_ascii=False),
            vapid_private_key=Vapid(key),
            vapid_claims={"sub": settings.webpush.subject},  # fresh: webpush() adds to it
            ttl=TTL_SECONDS,
            timeout=settings.webpush.timeout_seconds,
            requests_session=_http(os.getpid()),
        )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status is None or status == TOO_MANY_REQUESTS or status >= SERVER_ERROR:
            raise TransientPushError(f"push service answered HTTP {status}") from exc
        return int(status)
    except requests.RequestException as exc:  # timeouts, refused or reset connections
        raise TransientPushError(f"push service unreachable: {type(exc).__name__}") from exc
    return int(response.status_code)
