"""SMS out: an ``SmsGateway`` interface with two HTTP request formats, and the SMS wording.

``PENGADUAN_SMS_GATEWAY_FORMAT`` chooses the format: ``json``, a generic JSON webhook, or
``zenziva``, the form request of Zenziva, a common Indonesian SMS gateway. Both tell apart
refusals worth a retry (``TransientSmsError``) from final ones (``PermanentSmsError``).
"""

from __future__ import annotations

import functools
import logging
import os
import re
from typing import Any, Protocol

import httpx

from services.notifier.channels.sms_text import fit
from services.notifier.messages import OFFICE, check_complete, reopen_until_words, reply_due_words
from services.notifier.sop_words import sop_words
from shared.messaging.contracts import STAFF_KINDS, NotificationKind, NotificationRequestedV1
from shared.runtime.settings import Settings, get_settings

log = logging.getLogger(__name__)

NOT_CONFIGURED = "gateway SMS belum dikonfigurasi"


class TransientSmsError(Exception):
    """The gateway cannot take the message now (timeout, connection, 429, 5xx, or an account
    problem the office can fix): try later."""


class PermanentSmsError(Exception):
    """The gateway refused the message for good (another 4xx, an invalid number), or there is
    no gateway."""


class SmsGateway(Protocol):
    def send(self, *, to: str, message: str, reference: str) -> str | None:
        """Hand the SMS for ``to`` (E.164) to the gateway; the gateway's message id when it
        gives one. ``reference`` is the delivery's stable key."""


class JsonWebhookGateway:
    """``POST {url}`` with ``{"to", "message", "sender", "reference"}``, ``Authorization:
    Bearer`` and the delivery's stable key as ``Idempotency-Key`` (and as ``reference``), so a
    gateway that honours it drops the repeat that a crash between its answer and our commit
    would cause."""

    def __init__(self, url: str, token: str | None, sender: str, timeout: float) -> None:
        self.url = url
        self.token = token
        self.sender = sender
        self.timeout = timeout

    def send(self, *, to: str, message: str, reference: str) -> str | None:
        headers = {"Idempotency-Key": reference}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = {"to": to, "message": message, "sender": self.sender, "reference": reference}
        response = _post(self.url, self.timeout, json=payload, headers=headers)
        body = _json(response)
        if isinstance(body, dict):
            for key in ("message_id", "id"):
                if body.get(key) is not None:
                    return str(body[key])[:100]
        return None


# Zenziva answers refusals with HTTP 200 and a text saying why. Only a refusal of the number is
# about this message; the account's problems (wrong userkey/passkey, no balance left, an expired
# package) are the office's to fix, and the message must wait for that, not be dropped.
ZENZIVA_ACCOUNT = re.compile(
    r"userkey|passkey|saldo|balance|kredit|credit|expired|kedaluwarsa|kadaluarsa|masa aktif|"
    r"akun|account|auth",
    re.IGNORECASE,
)
ZENZIVA_RECIPIENT = re.compile(r"nomor|number|tujuan|penerima|recipient|msisdn", re.IGNORECASE)


class ZenzivaGateway:
    """Zenziva's SMS API: ``POST`` form fields ``userkey``, ``passkey``, ``to`` (the number
    without "+", e.g. 6281234567890) and ``message``; it answers JSON ``{"messageId", "to",
    "status", "text"}``, where status "1" is accepted and any other a refusal ``text`` explains.

    Zenziva has no idempotency key: after a crash between its answer and our commit, the retry
    sends the SMS a second time on this format (the at-least-once window described in
    ``services.notifier.tasks``)."""

    def __init__(self, url: str, userkey: str, passkey: str, timeout: float) -> None:
        self.url = url
        self.userkey = userkey
        self.passkey = passkey
        self.timeout = timeout

    def send(
        self,
        *,
        to: str,
        message: str,
        reference: str,  # noqa: ARG002 - the SmsGateway interface; Zenziva takes no key
    ) -> str | None:
        form = {
            "userkey": self.userkey,
            "passkey": self.passkey,
            "to": to.removeprefix("+"),  # Zenziva takes 628… (or 08…), not +628…
            "message": message,
        }
        response = _post(self.url, self.timeout, data=form)
        body = _json(response)
        if not isinstance(body, dict) or "status" not in body:
            # Taken or not, we cannot tell: a retry risks a repeat, giving up risks silence.
            raise TransientSmsError(
                f"gateway SMS (zenziva): jawaban tidak dikenal: {response.text[:300]}"
            )
        if str(body["status"]) == "1":
            message_id = body.get("messageId")
            return str(message_id)[:100] if message_id is not None else None
        raise _zenziva_refusal(str(body["status"]), str(body.get("text", "")))


def _zenziva_refusal(status: str, text: str) -> Exception:
    detail = f"gateway SMS (zenziva): status {status}: {text[:300]}"
    if ZENZIVA_RECIPIENT.search(text) and not ZENZIVA_ACCOUNT.search(text):
        return PermanentSmsError(detail)
    # The account, or a refusal we do not recognise: retried (for hours, with backoff) rather
    # than dropped, and logged loudly, since only the office can make it pass.
    log.error("Zenziva refused an SMS (%s); SMS wait until the office fixes the account", detail)
    return TransientSmsError(detail)


@functools.cache
def _client(pid: int) -> httpx.Client:  # noqa: ARG001 - the cache's key, see below
    """The HTTP client of process ``pid`` (call with ``os.getpid()``, so a forked worker child
    never shares its parent's connections). ``httpx.post`` builds a client, and with it an SSL
    context from the CA bundle, for every call: 24 ms of CPU per SMS here, against under 1 ms
    with one client kept (which also keeps the connection to the gateway alive)."""
    return httpx.Client()


def _post(url: str, timeout: float, **request: Any) -> httpx.Response:
    """``POST`` to the gateway; transport errors, 429 and 5xx are transient, another 4xx final."""
    try:
        response = _client(os.getpid()).post(url, timeout=timeout, **request)
    except httpx.TransportError as exc:  # connect errors and timeouts alike
        raise TransientSmsError(f"gateway SMS: {exc!r}") from exc
    answer = f"{response.status_code} {response.text[:500]}"
    if response.status_code == 429 or response.status_code >= 500:
        raise TransientSmsError(f"gateway SMS: {answer}")
    if not response.is_success:
        raise PermanentSmsError(f"gateway SMS: {answer}")
    return response


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def sms_gateway(settings: Settings) -> SmsGateway:
    if not settings.sms.gateway_url:
        raise PermanentSmsError(NOT_CONFIGURED)
    token = settings.sms.gateway_token.get_secret_value() if settings.sms.gateway_token else None
    if settings.sms.gateway_format == "zenziva":
        if not (settings.sms.gateway_username and token):
            raise PermanentSmsError(f"{NOT_CONFIGURED} (userkey dan passkey Zenziva)")
        return ZenzivaGateway(
            settings.sms.gateway_url,
            settings.sms.gateway_username,
            token,
            settings.sms.timeout_seconds,
        )
    return JsonWebhookGateway(
        settings.sms.gateway_url, token, settings.sms.sender, settings.sms.timeout_seconds
    )


SIGN = f" -{OFFICE}"


def sms_text(
    msg: NotificationRequestedV1,
    *,
    settings: Settings | None = None,
    intake_url: str | None = None,
) -> str:
    """The SMS wording, in Indonesian and short: at most three segments, the rest on the
    tracking page (the console, for staff). ``intake_url`` as in ``messages.compose``."""
    check_complete(msg)
    settings = settings or get_settings()
    web = settings.web
    if intake_url is not None:
        web = web.model_copy(update={"public_intake_url": intake_url})
    code = msg.tracking_code
    due = reply_due_words(msg, settings)
    until = reopen_until_words(msg, settings)
    # Before the answer, which a long answer's cut would otherwise take with it.
    say = f" (nilai atau minta dibuka kembali s.d. {until} di halaman lacak)" if until else ""
    page = web.tracking_url(code)
    sop = sop_words(msg.kind)
    texts = {
        NotificationKind.FILED: f"Pengaduan Anda diterima dengan kode {code}. Pantau di {page} "
        "dengan token akses Anda.",
        NotificationKind.REGISTERED: f"Pengaduan {code} telah teregister pada Sistem Pengaduan "
        f"dan diteruskan kepada {sop.desk_short}. Pantau di {page}",
        NotificationKind.VERIFIED: f"Pengaduan {code} telah {sop.done_short}. Pantau di {page}",
        NotificationKind.ANSWER: f"Jawaban pengaduan {code}{say}: {msg.answer}",
        NotificationKind.INFORMATION_REQUESTED: f"Pengaduan {code} memerlukan kelengkapan "
        f"data: {msg.note} Kirim melalui {page}{f' paling lambat {due}' if due else ''}",
        NotificationKind.INFORMATION_REMINDER: f"Pengingat: pengaduan {code} menunggu "
        f"kelengkapan data dari Anda sampai {due}. Kirim melalui {page}",
        NotificationKind.CLOSED_NO_RESPONSE: f"Pengaduan {code} ditutup karena tidak ada "
        f"tanggapan sampai {due}. Silakan ajukan pengaduan baru bila masih diperlukan.",
        NotificationKind.DECLINED: f"Pengaduan {code} tidak dapat ditindaklanjuti: {msg.note}",
        NotificationKind.DUPLICATE: f"Pengaduan {code} digabungkan dengan laporan yang sama; "
        "jawaban akan dikirimkan begitu tersedia.",
        NotificationKind.WORKLIST_ARRIVAL: f"Laporan pengaduan {code} masuk ke daftar kerja "
        f"Anda{f' ({msg.note})' if msg.note else ''}. Buka {web.console_url}",
        NotificationKind.SLA_WARNING: f"Peringatan Mutu Baku: laporan pengaduan {code} mendekati "
        f"batas waktu. {msg.note} Buka {web.console_url}",
        NotificationKind.SLA_BREACH: f"Pelanggaran standar waktu: laporan pengaduan {code} "
        f"terlambat. {msg.note} Buka {web.console_url}",
        NotificationKind.DISPOSITION_ASSIGNED: f"Disposisi untuk Anda: laporan pengaduan {code}. "
        f"{msg.note} Buka {web.console_url}",
    }
    link = web.console_url if msg.kind in STAFF_KINDS else page
    return fit(" ".join(texts[msg.kind].split()) + SIGN, link=link)
