"""Workflow tables: staff accounts, cases, and the append-only case record."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database.engine import UTCDateTime, make_metadata, utcnow


class Base(DeclarativeBase):
    metadata = make_metadata()


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    # Where the worklist-arrival emails go (``notify_staff_on_arrival``); none: not emailed.
    email: Mapped[str | None] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(32))
    # The bidang or seksi the member works in, as the office writes it; shown beside the name.
    unit: Mapped[str | None] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Case(Base):
    """A complaint as the office handles it; ``current_step`` is where it waits or is headed."""

    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(32), unique=True)
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    # shown, confidential (*rahasia*: only the Admin Pengaduan reads the reporter) or anonymous
    # (*anonim*: no reporter): shared.messaging.contracts.Identity
    identity: Mapped[str] = mapped_column(String(16), default="shown", server_default="shown")
    reporter_name: Mapped[str | None] = mapped_column(String(200))  # None: anonymous
    reporter_email: Mapped[str | None] = mapped_column(String(320))
    reporter_phone: Mapped[str | None] = mapped_column(String(32))
    # The NIB or application number the complainant named, if any.
    licence_reference: Mapped[str | None] = mapped_column(String(64))
    channels: Mapped[list[str]] = mapped_column(JSON)
    # Filed by the Admin Pengaduan for the complainant: how it came in (telepon, loket, surat)
    # and the staff member's username. Both null: the complainant filed it themselves.
    received_via: Mapped[str | None] = mapped_column(String(16))
    taken_by: Mapped[str | None] = mapped_column(String(64))
    # Filed by the complainant themselves: through the web form, the API or Open311
    # (shared.messaging.contracts.FiledVia); null for one taken by staff, or filed before.
    filed_via: Mapped[str | None] = mapped_column(String(16))
    # The licensing service it is about (``licensing_services.code``); null: not named.
    service_code: Mapped[str | None] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(32), index=True)
    current_step: Mapped[int | None] = mapped_column(Integer, index=True)
    # Null while the case travels to ``current_step``: it is on the worklist only once arrived.
    step_arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The step's clock (``step_clock``), in office time: when the role is warned and when the
    # standard is breached; each is acted on once per arrival (the sweep sets the *_sent marks).
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Office minutes already spent at the current step before the clock stopped for the
    # complainant (a request for information); the clock resumes from there on their reply.
    minutes_before_pause: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    # While the office waits for the complainant (a request for information): their reply
    # deadline and the reminder halfway, in office time; each acted on once (the sweep sets the
    # marks). Cleared when they reply.
    reply_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    reply_remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    reply_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reply_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(Text)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the complainant's personal data was erased (UU 27/2022; ``privacy.erasure``): the
    # retention time after closing passed, or they asked. Null: not erased.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who holds the case at its current step (a claim); others of the role see it.
    held_by: Mapped[str | None] = mapped_column(String(64))
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Whom the Koordinator's disposition (step 3) is addressed to (usernames) and by which day
    # they follow it up: their worklist shows the case first. The step's event keeps the same.
    assignees: Mapped[list[str] | None] = mapped_column(JSON)
    due_date: Mapped[date | None] = mapped_column(Date)
    # A case marked as a duplicate points at the original, whose answer it receives.
    duplicate_of: Mapped[str | None] = mapped_column(ForeignKey("cases.id"), index=True)
    # After the answer: until when the complainant may have the case reopened (*dibuka
    # kembali*); the close sweep closes an answered case once it passed. ``answer_round`` counts
    # the answers the case is on (1, then 2 after the first reopening, ...).
    reopen_until: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    answer_round: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # SQLAlchemy's optimistic lock: every UPDATE checks it, so of two racing writers the second
    # fails (StaleDataError) instead of overwriting the first.
    version: Mapped[int] = mapped_column(Integer)
    event_count: Mapped[int] = mapped_column(Integer, default=0)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declarative API


def compared_reference(column: Any) -> ColumnElement[str | None]:
    """A licence reference as the search compares it: upper case, without spaces, dashes and
    dots (``cases.lookup``); the index below is on the same expression."""
    compared: ColumnElement[str | None] = column
    for sign in (" ", "-", "."):
        compared = func.replace(compared, sign, "")
    return func.upper(compared)


# The search box (``cases.lookup``): each way ``q`` may match a case has an index, so the
# database reads the matching rows rather than every case of the record (a text search of
# 500,000 cases read them all: seconds). The texts are contained-text matches (ILIKE '%q%'):
# trigram indexes on PostgreSQL (pg_trgm, migration 0023), plain ones on SQLite, which does
# not use them for such a match and reads every row as before.
for _column in ("subject", "description", "reporter_name"):
    Index(
        f"ix_cases_{_column}_trgm",
        Case.__table__.c[_column],
        postgresql_using="gin",
        postgresql_ops={_column: "gin_trgm_ops"},
    )
Index("ix_cases_reporter_phone", Case.reporter_phone)
# Expressions: PostgreSQL's only (SQLite reflects them with a warning and reads every row).
Index("ix_cases_reporter_email_lower", func.lower(Case.reporter_email)).ddl_if(dialect="postgresql")
Index("ix_cases_licence_reference_key", compared_reference(Case.licence_reference)).ddl_if(
    dialect="postgresql"
)


class CaseEvent(Base):
    """One line of the record. Append-only: the ORM refuses updates and deletes, and so do
    database triggers (the initial migration; migration 0021 lets exactly the erasure of
    personal data through: the marker in place of texts, after the case's erasure event)."""

    __tablename__ = "case_events"
    __table_args__ = (
        UniqueConstraint("case_id", "sequence"),
        # The Mutu Baku report reads completions and breaches by kind and time; on PostgreSQL
        # the index carries the columns its figures need (migration 0028: index-only scans).
        Index(
            "ix_case_events_kind_occurred_at",
            "kind",
            "occurred_at",
            postgresql_include=["step", "role", "minutes_taken", "within_standard"],
        ),
        # The monthly report reads its cohort's completions case by case (migration 0025).
        Index("ix_case_events_case_id_kind", "case_id", "kind", "within_standard"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    step: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    input: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    output: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    minutes_taken: Mapped[float | None] = mapped_column(Float)
    standard_minutes: Mapped[int | None] = mapped_column(Integer)
    within_standard: Mapped[bool | None] = mapped_column(Boolean)


class NotificationOutcome(Base):
    """The latest outcome of one notification on one channel, as the notifier reported it: the
    operators' list of failed deliveries, and what a re-send was asked for."""

    __tablename__ = "notification_outcomes"
    __table_args__ = (UniqueConstraint("notification_id", "channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notification_id: Mapped[str] = mapped_column(String(36))
    channel: Mapped[str] = mapped_column(String(16))
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), index=True)  # sent, failed, resend_requested
    detail: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int | None] = mapped_column(Integer)
    # Tried by the notifier's fallback: a channel the complainant did not choose (cadangan).
    fallback: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resend_requested_by: Mapped[str | None] = mapped_column(String(64))
    resend_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TakenComplaint(Base):
    """A complaint the Admin Pengaduan took by telephone, at the desk or by letter: who took it,
    how, and under which code, written with the ComplaintTakenV1 to intake in one transaction.
    The id is that message's id, drawn with the form, so a form sent twice files once; the
    receipt is read back from here (the access token is kept nowhere)."""

    __tablename__ = "taken_complaints"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(32), unique=True)
    reporter_name: Mapped[str | None] = mapped_column(String(200))  # None: anonymous
    # As on the case (``Case.identity``): the receipt says it to the complainant.
    identity: Mapped[str] = mapped_column(String(16), default="shown", server_default="shown")
    subject: Mapped[str] = mapped_column(String(200))
    # The licensing service named (``licensing_services.code``), for the receipt; null: none.
    service_code: Mapped[str | None] = mapped_column(String(20))
    received_via: Mapped[str] = mapped_column(String(16))
    taken_by: Mapped[str] = mapped_column(String(64))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CaseAttachment(Base):
    """A file the complainant attached (a *lampiran*), as intake announced it: the bytes stay in
    the attachment store (``shared.attachments``) under the id; the digests are what intake
    stored, so a file read back is checked against them. ``message_id`` is unique: a redelivered
    announcement adds nothing."""

    __tablename__ = "case_attachments"

    attachment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    thumbnail_sha256: Mapped[str | None] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    message_id: Mapped[str] = mapped_column(String(36), unique=True)


class CaseAnswer(Base):
    """One answer sent to the complainant (an answer round), what they made of it: their
    rating (once per answer) and whether they had the case reopened. The SLA report counts the
    *puas* share and the reopen rate from these rows, by the month of the answer."""

    __tablename__ = "case_answers"
    __table_args__ = (UniqueConstraint("case_id", "round"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reopen_until: Mapped[datetime] = mapped_column(UTCDateTime)
    # Office minutes from filing to this answer, counted when it was sent (sla.answer_minutes).
    minutes_from_filing: Mapped[float | None] = mapped_column(Float)
    score: Mapped[int | None] = mapped_column(Integer)  # 1-4 (SKM); None: not rated
    comment: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopen_reason: Mapped[str | None] = mapped_column(Text)


class CatalogueEntry(Base):
    """One licensing service of the catalogue the office edits (seeded from
    ``shared.licensing_services``); intake holds a copy, kept by ServiceEntryV1 messages.
    ``revision`` grows with each edit, so intake applies only the newest."""

    __tablename__ = "licensing_services"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    group: Mapped[str] = mapped_column(String(16))  # shared.licensing_services.ServiceGroup
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str | None] = mapped_column(String(64))  # None: the seed


class SurveyResponse(Base):
    """The complainant's SKM survey answers for one answer round (``shared.skm``): the nine
    elements' scores, U1..U9 in order. Once per answer; ``message_id`` makes a redelivery add
    nothing."""

    __tablename__ = "survey_responses"
    __table_args__ = (UniqueConstraint("case_id", "round"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    scores: Mapped[list[int]] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    message_id: Mapped[str] = mapped_column(String(36), unique=True)


class IdentityRead(Base):
    """One staff read that showed a complainant's identity (UU 27/2022: who read whose data,
    when): a case page, the case API, a search or worklist listing the name, a receipt read
    again. Written in the reading request's transaction, only when the reader was shown the
    name or contacts (``cases.identity_reads``); the Admin Pengaduan lists them per case."""

    __tablename__ = "identity_reads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    username: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    read_at: Mapped[datetime] = mapped_column(UTCDateTime)
    via: Mapped[str] = mapped_column(String(32))  # cases.identity_reads.ReadVia


class StepTotal(Base):
    """The record's running totals per SOP step and role (``sla.step_totals``): completions
    with their office minutes (summed, and counted at most each bucket bound of the metrics'
    histogram) and breaches. Added to in the transaction that records the event, so a scrape
    reads a few rows instead of counting the whole history; migration 0024 filled it from the
    record. The bounds are columns: a new bound is a migration that backfills it."""

    __tablename__ = "step_totals"

    step: Mapped[int] = mapped_column(Integer, primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)
    completions: Mapped[int] = mapped_column(Integer, default=0)
    minutes_total: Mapped[float] = mapped_column(Float, default=0.0)
    at_most_1: Mapped[int] = mapped_column(Integer, default=0)
    at_most_2: Mapped[int] = mapped_column(Integer, default=0)
    at_most_3: Mapped[int] = mapped_column(Integer, default=0)
    at_most_5: Mapped[int] = mapped_column(Integer, default=0)
    at_most_10: Mapped[int] = mapped_column(Integer, default=0)
    at_most_15: Mapped[int] = mapped_column(Integer, default=0)
    at_most_30: Mapped[int] = mapped_column(Integer, default=0)
    at_most_60: Mapped[int] = mapped_column(Integer, default=0)
    at_most_120: Mapped[int] = mapped_column(Integer, default=0)
    at_most_480: Mapped[int] = mapped_column(Integer, default=0)
    breaches: Mapped[int] = mapped_column(Integer, default=0)
