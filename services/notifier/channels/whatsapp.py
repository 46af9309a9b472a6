"""WhatsApp out: the WhatsApp Business Cloud API's message endpoint, with approved templates.

``POST {api_url}/{api_version}/{phone_number_id}/messages`` with the token as Bearer and a
template message: the answer's template (``PENGADUAN_WHATSAPP_ANSWER_TEMPLATE``) for a jawaban,
one generic template (``PENGADUAN_WHATSAPP_NOTICE_TEMPLATE``) for every other notice, each with
two body parameters: the tracking code and the text. A business may open a conversation with a
citizen only through a template, so no free text is ever sent.

The Cloud API's answers are told apart as the SMS gateway's are: 2xx sent (its ``wamid`` kept),
transport errors, 429, 5xx and the throttling error codes are worth a retry
(``TransientWhatsAppError``); any other 4xx (not a WhatsApp number, template missing, a token
refused) fails the delivery for good (``PermanentWhatsAppError``), with the API's reason. The
Cloud API takes no idempotency key: a crash between its answer and our commit sends the
message a second time (the at-least-once window described in ``services.notifier.tasks``).
"""

from __future__ import annotations

import os
from typing import Any

import httpx

from services.notifier.channels.sms import _client as http_client
from services.notifier.channels.sms import sms_text
from services.notifier.messages import check_complete
from shared.messaging.contracts import NotificationKind, NotificationRequestedV1
from shared.runtime.settings import Settings

NOT_CONFIGURED = "WhatsApp Business belum dikonfigurasi"
# Graph API error codes that mean "not now" whatever the HTTP status: throttling (4, 80007,
# 130429, 131056), a temporary service problem (1, 2, 131000) and a paused number (133016).
RETRY_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131056, 133016})
# A template's text parameter may hold no line break or tab (the API refuses it), and the
# whole body stays under WhatsApp's 1,024 characters with room for the template's own words.
TEXT_LIMIT = 700


class TransientWhatsAppError(Exception):
    """The Cloud API cannot take the message now (timeout, connection, 429, 5xx, throttling):
    try later."""


class PermanentWhatsAppError(Exception):
    """The Cloud API refused the message for good (not a WhatsApp number, no such template, a
    refused token), or WhatsApp is not configured."""


def send_whatsapp(settings: Settings, *, to: str, msg: NotificationRequestedV1) -> str | None:
    """Send ``msg``'s template to ``to`` (E.164); the Cloud API's message id (``wamid``)."""
    wa = settings.whatsapp
    if not wa.configured():
        raise PermanentWhatsAppError(NOT_CONFIGURED)
    assert wa.api_url and wa.phone_number_id and wa.token  # noqa: S101 - configured() said so
    url = f"{wa.api_url.rstrip('/')}/{wa.api_version}/{wa.phone_number_id}/messages"
    headers = {"Authorization": f"Bearer {wa.token.get_secret_value()}"}
    response = _post(
        url, wa.timeout_seconds, json=template_message(settings, to=to, msg=msg), headers=headers
    )
    body = _json(response)
    messages = body.get("messages") if isinstance(body, dict) else None
    if isinstance(messages, list) and messages and isinstance(messages[0], dict):
        message_id = messages[0].get("id")
        return str(message_id)[:100] if message_id is not None else None
    return None


def template_message(
    settings: Settings, *, to: str, msg: NotificationRequestedV1
) -> dict[str, Any]:
    """The Cloud API's request body for ``msg`` to ``to`` (E.164, sent without its "+")."""
    wa = settings.whatsapp
    answer = msg.kind is NotificationKind.ANSWER
    parameters = [msg.tracking_code, notice_text(msg, settings)]
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to.removeprefix("+"),
        "type": "template",
        "template": {
            "name": wa.answer_template if answer else wa.notice_template,
            "language": {"code": wa.language},
            "components": [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": text} for text in parameters],
                }
            ],
        },
    }


def notice_text(msg: NotificationRequestedV1, settings: Settings) -> str:
    """The text parameter: the answer itself for a jawaban (cut short with a pointer to the
    tracking page when long), the SMS wording for every other notice; on one line."""
    check_complete(msg)
    if msg.kind is not NotificationKind.ANSWER:
        return " ".join(sms_text(msg, settings=settings).split())
    answer = " ".join((msg.answer or "").split())
    if len(answer) <= TEXT_LIMIT:
        return answer
    rest = f"… Selengkapnya: {settings.web.tracking_url(msg.tracking_code)}"
    return answer[: TEXT_LIMIT - len(rest)].rstrip() + rest


def _post(url: str, timeout: float, **request: Any) -> httpx.Response:
    try:
        response = http_client(os.getpid()).post(url, timeout=timeout, **request)
    except httpx.TransportError as exc:  # connect errors and timeouts alike
        raise TransientWhatsAppError(f"WhatsApp Cloud API: {exc!r}") from exc
    if response.is_success:
        return response
    answer = f"{response.status_code} {response.text[:500]}"
    code = _error_code(response)
    if response.status_code == 429 or response.status_code >= 500 or code in RETRY_CODES:
        raise TransientWhatsAppError(f"WhatsApp Cloud API: {answer}")
    raise PermanentWhatsAppError(f"WhatsApp Cloud API: {answer}")


def _error_code(response: httpx.Response) -> int | None:
    """The Graph API's ``error.code``, which says more than the HTTP status."""
    body = _json(response)
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, int) else None


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
