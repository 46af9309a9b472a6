"""The channels a notification goes out on, behind one small interface: the recipient's address
on it, the task that retries it, its passing failures, and the send itself.

Adding a channel is one ``ChannelRoute`` in ``ROUTES`` (and its task in ``tasks``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.notifier.channels.mail import (
    PermanentMailError,
    TransientMailError,
    build_email,
    email_sender,
    message_id_for,
)
from services.notifier.channels.sms import (
    PermanentSmsError,
    TransientSmsError,
    sms_configured,
    sms_gateway,
    sms_text,
)
from services.notifier.channels.whatsapp import (
    PermanentWhatsAppError,
    TransientWhatsAppError,
    send_whatsapp,
)
from services.notifier.messages import compose
from shared.messaging.contracts import (
    DELIVER_APP_TASK,
    DELIVER_EMAIL_TASK,
    DELIVER_SMS_TASK,
    DELIVER_WHATSAPP_TASK,
    INTAKE_INBOX_TASK,
    Channel,
    InboxMessageV1,
    NotificationRequestedV1,
    Reporter,
)
from shared.messaging.outbox import enqueue_once
from shared.runtime.settings import Settings, get_settings

# Errors after which another try of the same channel cannot succeed: the delivery is recorded as
# failed, with the reason.
REFUSALS: tuple[type[Exception], ...] = (
    PermanentMailError,
    PermanentSmsError,
    PermanentWhatsAppError,
)

INBOX_NAMESPACE = uuid.UUID("7d2b9c4e-1f63-4a0b-9e85-c4a1d0f3b672")


@dataclass(frozen=True)
class ChannelRoute:
    """How one channel reaches a recipient. ``send`` returns the gateway's reference when there
    is one; it may add outbox rows to ``session`` (the app channel's whole send is one)."""

    task: str  # the channel's task: a retry after a passing failure, a re-send, a fallback
    # (recipient, tracking code) -> address; the recipient is None for an anonymous complainant
    address: Callable[[Reporter | None, str], str | None]
    send: Callable[[Session, NotificationRequestedV1, str], str | None]
    missing_address: str  # the detail recorded when the recipient gave no address for it
    # Whether the office set the channel up: a fallback tries only channels that can deliver.
    configured: Callable[[Settings], bool]
    # The channel's passing failures: its delivery is tried again later (the channel's task).
    transient: tuple[type[Exception], ...] = ()


def delivery_key(notification_id: uuid.UUID, channel: Channel) -> str:
    """The same notification on the same channel always has the same key (the SMS gateway's
    idempotency reference)."""
    return f"{notification_id}.{channel.value}"


def _send_email(_: Session, msg: NotificationRequestedV1, address: str) -> str | None:
    settings = get_settings()
    content = compose(msg, settings=settings)
    email_sender(settings).send(
        build_email(
            mail_from=settings.mail.from_address,
            to_name=msg.recipient.name if msg.recipient else "",
            to_address=address,
            subject=content.subject,
            body=content.body,
            html=content.html,
            message_id=message_id_for(msg.message_id, Channel.EMAIL, settings.mail.from_address),
        )
    )
    return None


def _send_sms(_: Session, msg: NotificationRequestedV1, address: str) -> str | None:
    settings = get_settings()
    gateway = sms_gateway(settings)  # PermanentSmsError when no gateway is configured
    return gateway.send(
        to=address,
        message=sms_text(msg, settings=settings),
        reference=delivery_key(msg.message_id, Channel.SMS),
    )


def _send_whatsapp(_: Session, msg: NotificationRequestedV1, address: str) -> str | None:
    return send_whatsapp(get_settings(), to=address, msg=msg)


def _send_to_inbox(session: Session, msg: NotificationRequestedV1, _: str) -> str | None:
    """The app channel: the message goes to intake's queue (through the outbox, in this very
    transaction), which keeps it in the complainant's inbox, pushes it live over Server-Sent
    Events and Web Push. Committed with the delivery record: exactly once, no window."""
    settings = get_settings()
    content = compose(msg, intake_url=settings.web.public_intake_url)
    inbox = InboxMessageV1(
        message_id=uuid.uuid5(INBOX_NAMESPACE, str(msg.message_id)),
        notification_id=msg.message_id,
        tracking_code=msg.tracking_code,
        kind=msg.kind,
        title=content.subject,
        body=content.body,
    )
    enqueue_once(session, INTAKE_INBOX_TASK, inbox)
    return str(inbox.message_id)


# Channel -> how to deliver on it.
ROUTES: dict[Channel, ChannelRoute] = {
    Channel.EMAIL: ChannelRoute(
        task=DELIVER_EMAIL_TASK,
        address=lambda recipient, _: recipient.email if recipient else None,
        send=_send_email,
        missing_address="pengadu tidak memberikan alamat email",
        # Unset SMTP keeps mail in a local Maildir: kept, but it reaches no complainant.
        configured=lambda settings: settings.mail.host is not None,
        transient=(TransientMailError,),
    ),
    Channel.SMS: ChannelRoute(
        task=DELIVER_SMS_TASK,
        address=lambda recipient, _: recipient.phone if recipient else None,  # E.164
        send=_send_sms,
        missing_address="pengadu tidak memberikan nomor telepon",
        configured=sms_configured,
        transient=(TransientSmsError,),
    ),
    Channel.WHATSAPP: ChannelRoute(
        task=DELIVER_WHATSAPP_TASK,
        address=lambda recipient, _: recipient.phone if recipient else None,  # E.164
        send=_send_whatsapp,
        missing_address="pengadu tidak memberikan nomor telepon (WhatsApp)",
        configured=lambda settings: settings.whatsapp.configured(),
        transient=(TransientWhatsAppError,),
    ),
    Channel.APP: ChannelRoute(
        task=DELIVER_APP_TASK,
        address=lambda _, tracking_code: tracking_code,  # the complaint's own inbox
        send=_send_to_inbox,
        missing_address="",  # never: every complaint has its inbox
        configured=lambda _: True,
    ),
}
