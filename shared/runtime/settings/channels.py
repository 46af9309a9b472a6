"""The settings of the notification channels: mail, SMS, WhatsApp, Web Push, and the delivery that
retries them. Each field reads the variable its ``validation_alias`` names, as in
``shared.runtime.settings.groups``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import SecretStr

from shared.runtime.settings.groups import Group, setting


class MailSettings(Group):
    """Mail: the SMTP server; unset, mail is kept in a Maildir under `var/mail` for a person to
    read."""

    host: str | None = setting(
        "PENGADUAN_SMTP_HOST", None, "The SMTP server; unset keeps mail in `var/mail`."
    )
    port: int = setting("PENGADUAN_SMTP_PORT", 25, "The SMTP server's port.")
    timeout_seconds: float = setting(
        "PENGADUAN_SMTP_TIMEOUT_SECONDS", 30.0, "How long to wait for the SMTP server."
    )
    security: Literal["none", "starttls", "ssl"] = setting(
        "PENGADUAN_SMTP_SECURITY",
        "none",
        "`starttls` upgrades a plain connection (usually port 587); `ssl` is TLS from the first "
        "byte (usually 465). The certificate is always verified, against the system's CAs plus "
        "the CA file when set.",
    )
    username: str | None = setting(
        "PENGADUAN_SMTP_USERNAME", None, "Log in (after STARTTLS) when a username is set."
    )
    password: SecretStr | None = setting("PENGADUAN_SMTP_PASSWORD", None, "The SMTP password.")
    ca_file: Path | None = setting(
        "PENGADUAN_SMTP_CA_FILE", None, "A private CA (PEM) the server's certificate may chain to."
    )
    from_address: str = setting(
        "PENGADUAN_MAIL_FROM",
        "Pengaduan DPMPTSP Kota Madiun <pengaduan@dpmptsp.madiun.go.id>",
        "The sender of every email.",
    )


class SmsSettings(Group):
    """SMS: an HTTP gateway; unset URL, the channel is not configured and an SMS delivery is
    recorded as failed (with the reason) rather than pretended."""

    gateway_url: str | None = setting(
        "PENGADUAN_SMS_GATEWAY_URL", None, "The gateway's address; unset: no SMS channel."
    )
    gateway_format: Literal["json", "zenziva"] = setting(
        "PENGADUAN_SMS_GATEWAY_FORMAT",
        "json",
        "`json` is a generic JSON webhook (`POST` with a Bearer token and an `Idempotency-Key`); "
        "`zenziva` the request format of Zenziva, a common Indonesian gateway (userkey = "
        "username, passkey = token).",
    )
    gateway_username: str | None = setting(
        "PENGADUAN_SMS_GATEWAY_USERNAME", None, "The gateway's user (Zenziva's userkey)."
    )
    gateway_token: SecretStr | None = setting(
        "PENGADUAN_SMS_GATEWAY_TOKEN",
        None,
        "The gateway's Bearer token (Zenziva's passkey).",
    )
    sender: str = setting("PENGADUAN_SMS_SENDER", "DPMPTSP", "The sender name of every SMS.")
    timeout_seconds: float = setting(
        "PENGADUAN_SMS_TIMEOUT_SECONDS", 10.0, "How long to wait for the gateway.", gt=0
    )


class WhatsAppSettings(Group):
    """WhatsApp: the WhatsApp Business Cloud API's message endpoint, with message templates the
    office had approved in its WhatsApp Business account. Unset URL, phone number id or token:
    the channel is not configured and a WhatsApp delivery is recorded as failed (with the
    reason), as the SMS gateway's is; the office runs offline-first, so nothing points at Meta
    by default."""

    api_url: str | None = setting(
        "PENGADUAN_WHATSAPP_API_URL",
        None,
        "The Cloud API's base address (`https://graph.facebook.com`); unset: no WhatsApp channel.",
    )
    api_version: str = setting(
        "PENGADUAN_WHATSAPP_API_VERSION",
        "v21.0",
        "The Graph API version in the message endpoint's path.",
        pattern=r"^v[0-9]+\.[0-9]+$",
    )
    phone_number_id: str | None = setting(
        "PENGADUAN_WHATSAPP_PHONE_NUMBER_ID",
        None,
        "The id of the office's WhatsApp Business phone number (not the number itself).",
        pattern=r"^[0-9]+$",
    )
    token: SecretStr | None = setting(
        "PENGADUAN_WHATSAPP_TOKEN", None, "The access token (a system user's), sent as Bearer."
    )
    answer_template: str = setting(
        "PENGADUAN_WHATSAPP_ANSWER_TEMPLATE",
        "pengaduan_jawaban",
        "The approved template of the answer (jawaban): body {{1}} the tracking code, {{2}} the "
        "answer.",
    )
    notice_template: str = setting(
        "PENGADUAN_WHATSAPP_NOTICE_TEMPLATE",
        "pengaduan_pemberitahuan",
        "The approved template of every other notice: body {{1}} the tracking code, {{2}} the "
        "notice's text.",
    )
    language: str = setting(
        "PENGADUAN_WHATSAPP_LANGUAGE", "id", "The templates' language code (`id`: Indonesian)."
    )
    timeout_seconds: float = setting(
        "PENGADUAN_WHATSAPP_TIMEOUT_SECONDS", 10.0, "How long to wait for the Cloud API.", gt=0
    )

    def configured(self) -> bool:
        return bool(self.api_url and self.phone_number_id and self.token)


class WebPushSettings(Group):
    """Web Push (the app channel): the VAPID key pair that signs pushes to citizens' browsers."""

    vapid_private_key: SecretStr | None = setting(
        "PENGADUAN_WEBPUSH_VAPID_PRIVATE_KEY",
        None,
        "A PEM private key (P-256). Embedded: one is generated and kept under the data "
        "directory; otherwise unset turns Web Push off (the inbox and live events still work).",
    )
    subject: str = setting(
        "PENGADUAN_WEBPUSH_SUBJECT",
        "mailto:pengaduan@dpmptsp.madiun.go.id",
        "Who push services may contact about the pushes (a `mailto:` or `https:` URL).",
    )
    timeout_seconds: float = setting(
        "PENGADUAN_WEBPUSH_TIMEOUT_SECONDS", 10.0, "How long to wait for a push service.", gt=0
    )
    allow_private_endpoints: bool = setting(
        "PENGADUAN_WEBPUSH_ALLOW_PRIVATE_ENDPOINTS",
        default=False,
        description="Test and development only: accept subscriptions whose endpoint is plain "
        "http or on a loopback/private address (a local push receiver). Off, such an endpoint is "
        "refused: the server POSTs to it, and a citizen must not make it reach into the office's "
        "network.",
    )


class DeliverySettings(Group):
    """Delivery: who is told, and how a channel's failures are retried and swept."""

    notify_staff_on_arrival: bool | None = setting(
        "PENGADUAN_NOTIFY_STAFF_ON_ARRIVAL",
        None,
        "Email staff when a case arrives in their role's worklist. Unset: on in production, off "
        "in the embedded default (where the demo users have no real mailboxes).",
    )
    max_retries: int = setting(
        "PENGADUAN_NOTIFIER_MAX_RETRIES",
        1440,
        "A channel's task retries passing failures (with backoff up to 60 s) this many times, "
        "then records the delivery as failed for good, for operators to re-send.",
        ge=0,
    )
    stale_seconds: float = setting(
        "PENGADUAN_DELIVERY_STALE_SECONDS",
        300.0,
        "A delivery still retrying with no try for this long has lost its retry (a Celery "
        "message the broker can lose): the delivery sweep queues it again. Well above the 60 s "
        "retry backoff cap, so a retry under way is never doubled (docs/RELIABILITY.md).",
        ge=90,
    )
    sweep_seconds: float = setting(
        "PENGADUAN_DELIVERY_SWEEP_SECONDS",
        60.0,
        "How often beat sends the delivery sweep (`notifier.delivery.sweep`).",
        gt=0,
    )
