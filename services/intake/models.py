"""Intake tables: the complaint as the citizen filed it, what the citizen sees of its way (and
the notices that never reached them), the files the complainant attached, and the app channel
(the in-app inbox and the Web Push subscriptions it is pushed to), and the one-time links that
let a complainant who lost their access token set a new one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database.engine import UTCDateTime, make_metadata


class Base(DeclarativeBase):
    metadata = make_metadata()


class Complaint(Base):
    """A laporan pengaduan; ``status`` mirrors the workflow's, as far as the citizen may see."""

    __tablename__ = "complaints"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(16), unique=True)
    # SHA-256 hex of the access token; the token itself is never stored (see codes.py).
    access_token_hash: Mapped[str] = mapped_column(String(64))
    # shown, confidential (*rahasia*) or anonymous (*anonim*): shared.messaging.contracts.Identity
    identity: Mapped[str] = mapped_column(String(16), default="shown", server_default="shown")
    reporter_name: Mapped[str | None] = mapped_column(String(200))  # None: anonymous
    reporter_email: Mapped[str | None] = mapped_column(String(320))
    reporter_phone: Mapped[str | None] = mapped_column(String(32))  # E.164
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    # The NIB or application number the complaint is about, when the complainant gave one.
    licence_reference: Mapped[str | None] = mapped_column(String(64))
    channels: Mapped[list[str]] = mapped_column(JSON)
    # Filed by the Admin Pengaduan for the complainant: how it came in (telepon, loket, surat)
    # and the staff member's username. Both null: the complainant filed it themselves.
    received_via: Mapped[str | None] = mapped_column(String(16))
    taken_by: Mapped[str | None] = mapped_column(String(64))
    # Filed by the complainant: web, api or open311 (shared.messaging.contracts.FiledVia).
    filed_via: Mapped[str | None] = mapped_column(String(16))
    # The licensing service it is about (``licensing_services.code``); null: not named.
    service_code: Mapped[str | None] = mapped_column(String(20))
    # Filed through Open311 by this partner system: only it reads the request back there.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    # When the Kasi last corrected it (CaseServiceChangedV1): an older correction changes nothing.
    service_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(32))
    # The workflow's sequence of the status shown: a late, older update never overrides it.
    status_sequence: Mapped[int] = mapped_column(Integer, default=0)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # While the office waits for the complainant: the reply deadline the workflow set (shown to
    # them; a reply after it is refused). Kept after a close without reply, for its message.
    reply_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Until when the complainant may ask for the answer shown to be reopened (*dibuka kembali*):
    # the workflow reckons it in office days, the notifier passes it on with the answer.
    reopen_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # UU 27/2022: when the complainant consented to the privacy notice, and to which version of
    # it (``shared.wording.privacy``). Both null: no consent given (an API client that sent none,
    # or a complaint filed before the notice existed).
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    privacy_notice_version: Mapped[str | None] = mapped_column(String(16))
    # Personal data (UU 27/2022): when the complainant asked for early erasure (sent to the
    # workflow, which decides), and when it was erased here (``privacy.erasure``).
    erasure_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CatalogueEntry(Base):
    """Intake's copy of one licensing service of the workflow's catalogue (seeded as the
    workflow's is, then kept by ServiceEntryV1 messages): listed at ``GET /api/v1/services``
    and checked when a complaint names its ``service_code``."""

    __tablename__ = "licensing_services"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    group: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)  # the workflow's; newest wins
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Partner(Base):
    """A partner system that files complaints through Open311 GeoReport v2 (``open311``) with
    its own API key; managed with ``pengaduan-partner``. The key is stored only as its SHA-256
    (see ``open311.partners``); a revoked partner's key opens nothing."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TimelineEntry(Base):
    """One status the complaint passed through, in the order it happened."""

    __tablename__ = "timeline_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The message that caused it (null for the filing itself): a redelivery adds nothing.
    message_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    # What the complainant reads with this status: the office's reason or request, or their reply.
    note: Mapped[str | None] = mapped_column(Text)


class Rating(Base):
    """The complainant's rating of one answer (the SKM survey's 1-4 score, 3 and 4 *puas*):
    one per answer, the answer named by its ``answered_at``; a reopened case's new answer may
    be rated again."""

    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("complaint_id", "answered_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"), index=True)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    # The ComplaintRatedV1 that told the workflow (the outbox row's id).
    message_id: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Survey(Base):
    """The complainant's SKM survey answers (``shared.skm``) for one answer they rated: the nine
    elements' scores, U1..U9 in order; once per answer, named by its ``answered_at`` as the
    rating is."""

    __tablename__ = "surveys"
    __table_args__ = (UniqueConstraint("complaint_id", "answered_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"), index=True)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    scores: Mapped[list[int]] = mapped_column(JSON)
    # The SurveyAnsweredV1 that told the workflow (the outbox row's id).
    message_id: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class UndeliverableNotice(Base):
    """A notice the notifier could deliver on none of the complainant's channels: the tracking
    page says so, and what to do (see ``tracking.notices``)."""

    __tablename__ = "undeliverable_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"), index=True)
    # The NoticeUndeliverableV1 that brought it: a redelivered task adds nothing.
    message_id: Mapped[str] = mapped_column(String(36), unique=True)
    notification_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(32))
    channels: Mapped[list[str]] = mapped_column(JSON)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when an operator's re-send got through after all: the page no longer says it.
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Attachment(Base):
    """A file the complainant attached (a *lampiran*). The bytes are in the attachment store
    (``shared.attachments``) under ``original_key(id)`` and, for an image, ``thumbnail_key(id)``;
    the row holds what the complainant and the workflow's message are told of them."""

    __tablename__ = "attachments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))  # the safe display name, never a path
    media_type: Mapped[str] = mapped_column(String(100))  # decided from the content
    size: Mapped[int] = mapped_column(Integer)  # bytes of the stored (re-encoded) file
    sha256: Mapped[str] = mapped_column(String(64))
    thumbnail_sha256: Mapped[str | None] = mapped_column(String(64))
    # The AttachmentAddedV1 that announced it to the workflow (the outbox row's id).
    message_id: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InboxMessage(Base):
    """A message in the complainant's in-app inbox, as the notifier sent it (the app channel)."""

    __tablename__ = "inbox_messages"

    # Also the Server-Sent Events id: a reconnecting browser's Last-Event-ID.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"), index=True)
    # The InboxMessageV1 that brought it: a redelivered task adds nothing.
    message_id: Mapped[str] = mapped_column(String(36), unique=True)
    notification_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PushSubscription(Base):
    """A browser's Web Push subscription for one complaint (its PushSubscription JSON)."""

    __tablename__ = "push_subscriptions"
    __table_args__ = (UniqueConstraint("complaint_id", "endpoint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"), index=True)
    endpoint: Mapped[str] = mapped_column(String(2048))
    p256dh: Mapped[str] = mapped_column(String(100))  # base64url, as the browser gave it
    auth: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PushDelivery(Base):
    """One inbox message pushed to one subscription: ``retrying``, ``sent`` or ``failed``.

    ``subscription_id`` is no foreign key: the record outlives a subscription that the push
    service reported gone (and that was therefore deleted)."""

    __tablename__ = "push_deliveries"
    __table_args__ = (UniqueConstraint("inbox_message_id", "subscription_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inbox_message_id: Mapped[int] = mapped_column(ForeignKey("inbox_messages.id"))
    subscription_id: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FilingKey(Base):
    """A filing made with an ``Idempotency-Key``: a retry with the same key and body gets the
    first answer back instead of a second complaint. The key is the primary key, so of two
    requests racing with one key only one can file.

    ``answer`` is the first answer encrypted (it holds the access token, which is stored nowhere
    in plain text); rows are kept for ``idempotency.RETENTION`` only (see idempotency.py)."""

    __tablename__ = "filing_keys"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    # SHA-256 hex of the validated request body: the same key with another body is refused.
    request_hash: Mapped[str] = mapped_column(String(64))
    # Null only inside the filing transaction, between claiming the key and filing.
    complaint_id: Mapped[str | None] = mapped_column(ForeignKey("complaints.id"))
    answer: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class AccessLink(Base):
    """A one-time link that lets a complainant who lost their access token set a new one (see
    ``tracking.access_links``). The link's token is stored only as its hash, as the access
    token is; a link works once (``used_at``), until ``expires_at``, and only while no newer
    link for the same complaint was asked for (``superseded_at``)."""

    __tablename__ = "access_links"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ComplaintTotal(Base):
    """A running count for ``/metrics`` (``complaint_totals``): "filed" and "answered"."""

    __tablename__ = "complaint_totals"

    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class ComplaintTotalChange(Base):
    """One change of a count, written by the triggers of migration 0024 and folded into
    ``complaint_totals`` by the next scrape."""

    __tablename__ = "complaint_total_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(16))
    delta: Mapped[int] = mapped_column(Integer)
