"""SMS out: a client for an HTTP SMS gateway (a generic JSON webhook), and the SMS wording.

``POST {url}`` with ``{"to", "message", "sender", "reference"}``, ``Authorization: Bearer`` and
the delivery's stable key as ``Idempotency-Key`` (and as ``reference``), so a gateway that honours
it drops the repeat that a crash between its answer and our commit would cause.
"""

from __future__ import annotations

from typing import Any

import httpx

from services.notifier.messages import OFFICE, check_complete
from services.notifier.sms_text import fit
from shared.contracts import NotificationKind, NotificationRequestedV1
from shared.settings import Settings

NOT_CONFIGURED = "gateway SMS belum dikonfigurasi"


class TransientSmsError(Exception):
    """The gateway cannot take the message now (timeout, connection, 429, 5xx): try later."""


class PermanentSmsError(Exception):
    """The gateway refused the message for good (another 4xx), or there is no gateway."""


class SmsGateway:
    def __init__(self, url: str, token: str | None, sender: str, timeout: float) -> None:
        self.url = url
        self.token = token
        self.sender = sender
        self.timeout = timeout

    def send(self, *, to: str, message: str, reference: str) -> str | None:
        """Hand the SMS to the gateway; its message id when it gives one."""
        headers = {"Idempotency-Key": reference}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = {"to": to, "message": message, "sender": self.sender, "reference": reference}
        try:
            response = httpx.post(self.url, json=payload, headers=headers, timeout=self.timeout)
        except httpx.TransportError as exc:  # connect errors and timeouts alike
            raise TransientSmsError(f"gateway SMS: {exc!r}") from exc
        answer = f"{response.status_code} {response.text[:500]}"
        if response.status_code == 429 or response.status_code >= 500:
            raise TransientSmsError(f"gateway SMS: {answer}")
        if not response.is_success:
            raise PermanentSmsError(f"gateway SMS: {answer}")
        return _gateway_id(response)


def _gateway_id(response: httpx.Response) -> str | None:
    try:
        body: Any = response.json()
    except ValueError:
        return None
    if isinstance(body, dict):
        for key in ("message_id", "id"):
            if body.get(key) is not None:
                return str(body[key])[:100]
    return None


def sms_gateway(settings: Settings) -> SmsGateway:
    if not settings.sms_gateway_url:
        raise PermanentSmsError(NOT_CONFIGURED)
    token = settings.sms_gateway_token
    return SmsGateway(
        settings.sms_gateway_url,
        token.get_secret_value() if token else None,
        settings.sms_sender,
        settings.sms_timeout_seconds,
    )


SIGN = f" -{OFFICE}"


def sms_text(msg: NotificationRequestedV1, *, intake_url: str) -> str:
    """The SMS wording, in Indonesian and short: at most three segments, the rest on the web."""
    check_complete(msg)
    code = msg.tracking_code
    texts = {
        NotificationKind.FILED: f"Pengaduan Anda diterima dengan kode {code}. Pantau di "
        f"{intake_url} dengan kode ini dan token akses Anda.",
        NotificationKind.ANSWER: f"Jawaban pengaduan {code}: {msg.answer}",
        NotificationKind.INFORMATION_REQUESTED: f"Pengaduan {code} memerlukan kelengkapan "
        f"data: {msg.note} Kirim melalui {intake_url}",
        NotificationKind.DECLINED: f"Pengaduan {code} tidak dapat ditindaklanjuti: {msg.note}",
        NotificationKind.DUPLICATE: f"Pengaduan {code} digabungkan dengan laporan yang sama; "
        "jawaban akan dikirimkan begitu tersedia.",
    }
    return fit(" ".join(texts[msg.kind].split()) + SIGN, link=intake_url)
