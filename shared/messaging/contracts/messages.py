"""The message models themselves."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from shared import sop
from shared.messaging.contracts.terms import Channel, FiledVia, Identity, ReceivedVia
from shared.messaging.sealing import seal, unseal


def _now() -> datetime:
    return datetime.now(UTC)


class Message(BaseModel):
    """Every message carries its own id: consumers record it to act on it once."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    message_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    occurred_at: datetime = Field(default_factory=_now)


class Reporter(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    email: str | None = None
    phone: str | None = None  # E.164


def _open(value: Any) -> Any:
    return unseal(value) if isinstance(value, str) else value


def _seal(reporter: Reporter) -> str:
    return seal(reporter.model_dump(mode="json"))


# A Reporter in Python; on the wire (``model_dump(mode="json")``, what the outbox sends) one
# sealed token, so no name, email or phone sits in clear in Redis (see shared.messaging.sealing).
SealedReporter = Annotated[
    Reporter,
    BeforeValidator(_open),
    PlainSerializer(_seal, return_type=str, when_used="json"),
]


class ComplaintFiledV1(Message):
    """intake -> workflow step 1: a citizen filed a laporan pengaduan."""

    version: Literal[1] = 1
    tracking_code: str
    subject: str
    description: str
    # None: an anonymous complaint (``identity`` anonymous), which has no name and no contact.
    reporter: SealedReporter | None
    channels: tuple[Channel, ...]
    # Added later, optional: a message filed before it existed still validates.
    licence_reference: str | None = None  # NIB or application number, as the citizen gave it
    # Set when the Admin Pengaduan filed it for the complainant (telephone, desk, letter): how
    # it came in and the staff member's username. Absent: the complainant filed it themselves.
    received_via: ReceivedVia | None = None
    taken_by: str | None = None
    # Only when intake had to file it under another code than the receipt's (see
    # ComplaintTakenV1): the code written on the receipt the complainant holds.
    receipt_code: str | None = None
    # Added later, optional: an older message is a complaint with its identity shown.
    identity: Identity = Identity.SHOWN
    # Added later, optional: the licensing service it is about (a code of the catalogue,
    # ``shared.licensing_services``; None: not named), and how a complaint the complainant
    # filed themselves came in (None: the web form, or a message older than the field).
    service_code: str | None = None
    filed_via: FiledVia | None = None


class ComplaintTakenV1(Message):
    """workflow -> intake: the Admin Pengaduan took a complaint by telephone, at the desk or by
    letter in the console. The workflow drew the code and the access token (the token travels
    only as its hash); intake files it as any complaint and sends it on as ComplaintFiledV1.
    The message id is the filing's identity: a redelivery files nothing twice."""

    version: Literal[1] = 1
    tracking_code: str
    access_token_hash: str
    subject: str
    description: str
    reporter: SealedReporter | None  # None: anonymous
    channels: tuple[Channel, ...]
    licence_reference: str | None = None
    received_via: ReceivedVia
    taken_by: str
    identity: Identity = Identity.SHOWN
    service_code: str | None = None
    # The Admin told the complainant the privacy notice's purpose and they consented (UU
    # 27/2022); None: a message from before the console asked.
    consent: bool | None = None


class AttachmentRefV1(BaseModel):
    """A file the complainant attached (a *lampiran*), as it travels: ids and a digest only. The
    bytes stay in the attachment store (``shared.attachments``), never in Redis; the workflow
    reads them by ``attachment_id`` and checks them against ``sha256``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    attachment_id: uuid.UUID
    filename: str  # the display name, already made safe by intake
    media_type: str  # decided from the content: image/jpeg, image/png, image/webp, application/pdf
    size: int  # bytes of the stored (re-encoded) file
    sha256: str  # hex digest of the stored file
    thumbnail_sha256: str | None = None  # images only: the stored thumbnail's digest


class AttachmentAddedV1(Message):
    """intake -> workflow: the complainant attached a file to their complaint (at filing or
    while the office asked for information). May arrive before the case exists (the filing
    travels on another queue): the consumer waits for it."""

    version: Literal[1] = 1
    tracking_code: str
    attachment: AttachmentRefV1


class StepHandoffV1(Message):
    """workflow -> workflow: the case arrives at ``step`` (on that step's role queue)."""

    version: Literal[1] = 1
    case_id: str
    step: int


class CaseStatusChangedV1(Message):
    """workflow -> intake: the case moved; ``sequence`` orders updates that arrive out of order."""

    version: Literal[1] = 1
    tracking_code: str
    status: str
    sequence: int
    note: str | None = None  # what the complainant should read with it (a reason, a request)
    # Added later, optional: a request for information's reply deadline (old messages validate).
    reply_due_at: datetime | None = None


class NotificationKind(StrEnum):
    # To the complainant. FILED: intake holds the laporan (received, with the tracking code);
    # REGISTERED: the workflow took it in at step 1 (teregister, with the Admin Pengaduan).
    FILED = "filed"
    REGISTERED = "registered"
    VERIFIED = "verified"
    ANSWER = "answer"
    INFORMATION_REQUESTED = "information_requested"
    DECLINED = "declined"
    DUPLICATE = "duplicate"
    # A request for information: halfway to the reply deadline, and the close at it.
    INFORMATION_REMINDER = "information_reminder"
    CLOSED_NO_RESPONSE = "closed_no_response"
    # A one-time link to set a new access token, to the contact of a complainant who lost
    # theirs (``access_link`` carries it, sealed).
    ACCESS_LINK = "access_link"
    # To staff: a case arrived in the recipient's worklist (``note`` names the step).
    WORKLIST_ARRIVAL = "worklist_arrival"
    # To staff: a case of the recipient's role nears its step's due time (Mutu Baku), and a
    # step's standard was breached (to the supervising role, or the head of office). ``note``
    # names the step, the due time and how late.
    SLA_WARNING = "sla_warning"
    SLA_BREACH = "sla_breach"
    # To staff: the Koordinator's disposition names the recipient to follow the case up;
    # ``note`` holds the directions, the members named and the due date.
    DISPOSITION_ASSIGNED = "disposition_assigned"


def sop_kinds() -> frozenset[NotificationKind]:
    """The kinds the SOP's data tells complainants of: a step's ``tells_complainant`` and the
    status of each path that tells them. The enum above stays written out, for its values are a
    versioned wire contract; this ties it to the SOP: a SOP naming news the contract has no
    kind for fails here, when any service starts, with what to add."""
    told = {s.tells_complainant for s in sop.STEPS if s.tells_complainant}
    told |= {p.status for p in sop.PATHS if p.tells_complainant and p.status}
    for p in sop.PATHS:  # a wait for the complainant ends with a reminder and a close
        if p.no_reply is not None:
            told |= {p.no_reply.reminder, p.no_reply.status}
    missing = told - {kind.value for kind in NotificationKind}
    if missing:
        raise ValueError(
            f"shared.sop tells complainants of {sorted(missing)}, which NotificationKind lacks: "
            "add the kind (a new wire value) and its templates in services/notifier/templates"
        )
    return frozenset(NotificationKind(name) for name in told)


SOP_KINDS = sop_kinds()

STAFF_KINDS = frozenset(
    {
        NotificationKind.WORKLIST_ARRIVAL,
        NotificationKind.SLA_WARNING,
        NotificationKind.SLA_BREACH,
        NotificationKind.DISPOSITION_ASSIGNED,
    }
)


# Kinds kept off the case's record (and so off the operators' re-sends) and off the tracking
# page's undelivered notices: staff's own mail, and the access link, a secret for someone who
# cannot open the tracking page; a re-send of an expired link helps no one, a new request does.
UNRECORDED_KINDS = STAFF_KINDS | {NotificationKind.ACCESS_LINK}


class OneTimeLink(BaseModel):
    """The secret of an ACCESS_LINK notification: the one-time token the link carries (intake
    keeps only its hash) and when it stops working."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    token: str
    expires_at: datetime


def _seal_link(link: OneTimeLink) -> str:
    return seal(link.model_dump(mode="json"))


# As SealedReporter: a OneTimeLink in Python, one sealed token on the wire, so the link never
# sits in clear in Redis, Flower's task view, a dead letter or the notifier's table.
SealedLink = Annotated[
    OneTimeLink,
    BeforeValidator(_open),
    PlainSerializer(_seal_link, return_type=str, when_used="json"),
]


class NotificationRequestedV1(Message):
    """intake or workflow -> notifier: tell the complainant something on their channels."""

    version: Literal[1] = 1
    kind: NotificationKind
    tracking_code: str
    # None: an anonymous complainant (no name, no contact), reached on the app channel only.
    recipient: SealedReporter | None
    channels: tuple[Channel, ...]
    subject: str
    answer: str | None = None
    note: str | None = None  # the reason or request, for the kinds that carry one
    # Added later, optional: the reply deadline of a request for information and its reminder.
    reply_due_at: datetime | None = None
    # Added later, optional: with an answer, until when the complainant may rate it and ask for
    # the case to be reopened (the workflow reckons it in office days).
    reopen_until: datetime | None = None
    # Added later, optional: an ACCESS_LINK's one-time link, sealed (see SealedLink).
    access_link: SealedLink | None = None


class ChannelDeliveryV1(Message):
    """notifier -> notifier: deliver one stored notification on one channel. Ids only: the
    personal data stays in the notifier's database, out of the broker and Flower's task view."""

    version: Literal[1] = 1
    notification_id: uuid.UUID  # the NotificationRequestedV1's message id
    channel: Channel


class ComplainantReplyV1(Message):
    """intake -> workflow: the complainant supplied the information the Kasi asked for."""

    version: Literal[1] = 1
    tracking_code: str
    message: str


class ComplaintAnsweredV1(Message):
    """notifier -> intake: the answer went out; the tracking page may show it."""

    version: Literal[1] = 1
    tracking_code: str
    answer: str
    answered_at: datetime
    # Added later, optional: until when the complainant may rate the answer and ask to reopen
    # (from the workflow, through the notifier's NotificationRequestedV1.reopen_until).
    reopen_until: datetime | None = None


class ComplaintRatedV1(Message):
    """intake -> workflow: the complainant rated the answer (once per answer): ``score`` on the
    SKM survey's 1-4 scale (3 and 4 are *puas*). A *tidak puas* rating within the reopening
    window reopens the case, with ``comment`` as its reason."""

    version: Literal[1] = 1
    tracking_code: str
    score: int = Field(ge=1, le=4)
    comment: str | None = None


class ReopenRequestedV1(Message):
    """intake -> workflow: the complainant asks, with ``reason``, for the answered case to be
    reopened (*dibuka kembali*) within the reopening window."""

    version: Literal[1] = 1
    tracking_code: str
    reason: str


class NotificationDeliveredV1(Message):
    """notifier -> workflow: what reached the complainant (or failed for good), for the record
    and for the operators' list of failed deliveries (which re-sends by ``notification_id``)."""

    version: Literal[1] = 1
    tracking_code: str
    kind: NotificationKind
    channel: Channel
    status: str  # "sent" or "failed"
    detail: str | None = None
    notification_id: uuid.UUID | None = None
    attempts: int | None = None  # tries it took, retries and re-sends included
    # A channel the complainant did not choose, tried because every one they chose failed for
    # good (the notifier's fallback across contacts: email, then SMS, then WhatsApp).
    fallback: bool = False


class NoticeUndeliverableV1(Message):
    """notifier -> intake: a notification to the complainant failed for good on every channel
    they chose and on every other contact tried after them (refused, or its retries used up),
    so the tracking page tells them: nothing else
    will. ``occurred_at`` is when the last channel gave up."""

    version: Literal[1] = 1
    tracking_code: str
    notification_id: uuid.UUID
    kind: NotificationKind
    channels: tuple[Channel, ...]  # the channels tried (fallbacks too), every one failed


class NoticeDeliveredV1(Message):
    """notifier -> intake: a notice once told undeliverable reached the complainant after all,
    on ``channel`` (an operator's re-send): the tracking page stops saying it did not."""

    version: Literal[1] = 1
    tracking_code: str
    notification_id: uuid.UUID
    channel: Channel


class ResendRequestedV1(Message):
    """workflow -> notifier: an operator asks to deliver a failed notification again."""

    version: Literal[1] = 1
    notification_id: uuid.UUID
    channel: Channel
    requested_by: str  # the staff username, for the record


class InboxMessageV1(Message):
    """notifier -> intake: a message for the complainant's in-app inbox (the app channel)."""

    version: Literal[1] = 1
    notification_id: uuid.UUID
    tracking_code: str
    kind: NotificationKind
    title: str
    body: str  # plain text, in Indonesian


class AccessLinkRequestedV1(Message):
    """intake API -> intake worker: someone asked for an access link for ``tracking_code``
    (which may not exist, or have no contact). The API sends this for every well-formed code
    alike, so its answer and its work say nothing of the code; the worker finds out."""

    version: Literal[1] = 1
    tracking_code: str


class PushDeliveryV1(Message):
    """intake -> intake: push one inbox message to one Web Push subscription. Ids only."""

    version: Literal[1] = 1
    inbox_message_id: int
    subscription_id: int
