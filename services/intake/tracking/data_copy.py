"""A copy of everything intake holds of one complainant (UU 27/2022, the data subject's right to
a copy): the complaint as filed, the consent, the timeline with its notes, the answer, the
ratings, the attachments (what is known of each file; the files themselves are downloaded one
by one from the tracking page) and the in-app messages. Only the holder of the access token gets
it, as the tracking page and ``GET /api/v1/complaints/{code}`` are opened.

Intake's copy is the complainant's own: the workflow and the notifier hold the same particulars
(docs/PRIVACY.md), but nothing of theirs the complainant did not give or receive."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.filing.schemas import status_label
from services.intake.models import (
    Attachment,
    Complaint,
    InboxMessage,
    PushSubscription,
    Rating,
    Survey,
    TimelineEntry,
    UndeliverableNotice,
)
from shared.database.engine import utcnow
from shared.skm import CODES

# What the file says of itself, for whoever opens it later (Bahasa Indonesia).
ABOUT = (
    "Salinan data pribadi Anda yang disimpan layanan penerimaan Sistem Pengaduan untuk laporan "
    "pengaduan ini (hak subjek data pribadi, UU Nomor 27 Tahun 2022). Simpan dengan aman: "
    "salinan ini memuat nama, kontak dan isi pengaduan Anda."
)


def filename(tracking_code: str) -> str:
    return f"data-pengaduan-{tracking_code}.json"


class ReporterCopy(BaseModel):
    name: str | None = Field(description="Nama pelapor; kosong untuk laporan anonim")
    email: str | None
    phone: str | None


class ConsentCopy(BaseModel):
    given: bool = Field(description="Persetujuan atas pemberitahuan privasi diberikan")
    given_at: datetime | None
    notice_version: str | None = Field(description="Versi pemberitahuan privasi yang disetujui")


class TimelineCopy(BaseModel):
    status: str
    status_label: str
    occurred_at: datetime
    note: str | None = Field(description="Alasan, permintaan petugas, balasan Anda atau jawaban")


class AnswerCopy(BaseModel):
    text: str
    answered_at: datetime | None
    reopen_until: datetime | None


class RatingCopy(BaseModel):
    answered_at: datetime = Field(description="Waktu jawaban yang dinilai")
    score: int
    comment: str | None
    rated_at: datetime


class SurveyCopy(BaseModel):
    answered_at: datetime = Field(description="Waktu jawaban yang disurvei")
    scores: dict[str, int] = Field(description="Nilai unsur SKM U1-U9 (1-4)")
    submitted_at: datetime


class AttachmentCopy(BaseModel):
    filename: str
    media_type: str
    size: int = Field(description="Ukuran berkas tersimpan, dalam byte")
    added_at: datetime


class InboxCopy(BaseModel):
    kind: str
    title: str
    body: str
    created_at: datetime


class UndeliveredCopy(BaseModel):
    kind: str
    channels: list[str]
    failed_at: datetime
    delivered_at: datetime | None


class PushCopy(BaseModel):
    endpoint: str = Field(description="Alamat notifikasi peramban yang Anda daftarkan")
    created_at: datetime


class DataCopyOut(BaseModel):
    """Salinan seluruh data laporan pengaduan yang disimpan layanan penerimaan."""

    about: str
    prepared_at: datetime
    tracking_code: str
    filed_at: datetime
    status: str
    status_label: str
    identity: str = Field(description="shown, confidential (rahasia) atau anonymous (anonim)")
    reporter: ReporterCopy
    subject: str
    description: str
    licence_reference: str | None
    service_code: str | None
    channels: list[str]
    filed_via: str | None = Field(description="web, api atau open311; kosong: dicatat petugas")
    received_via: str | None = Field(description="Dicatat Admin Pengaduan: telepon, loket, surat")
    consent: ConsentCopy
    answer: AnswerCopy | None
    timeline: list[TimelineCopy]
    ratings: list[RatingCopy]
    surveys: list[SurveyCopy]
    attachments: list[AttachmentCopy]
    inbox_messages: list[InboxCopy]
    undelivered_notices: list[UndeliveredCopy]
    push_subscriptions: list[PushCopy]


def data_copy(session: Session, complaint: Complaint) -> DataCopyOut:
    """Everything intake holds of ``complaint``'s complainant, oldest first in each list."""
    of = complaint.id
    return DataCopyOut(
        about=ABOUT,
        prepared_at=utcnow(),
        tracking_code=complaint.tracking_code,
        filed_at=complaint.created_at,
        status=complaint.status,
        status_label=status_label(complaint.status),
        identity=complaint.identity,
        reporter=ReporterCopy(
            name=complaint.reporter_name,
            email=complaint.reporter_email,
            phone=complaint.reporter_phone,
        ),
        subject=complaint.subject,
        description=complaint.description,
        licence_reference=complaint.licence_reference,
        service_code=complaint.service_code,
        channels=list(complaint.channels),
        filed_via=complaint.filed_via,
        received_via=complaint.received_via,
        consent=ConsentCopy(
            given=complaint.consent_at is not None,
            given_at=complaint.consent_at,
            notice_version=complaint.privacy_notice_version,
        ),
        answer=AnswerCopy(
            text=complaint.answer,
            answered_at=complaint.answered_at,
            reopen_until=complaint.reopen_until,
        )
        if complaint.answer is not None
        else None,
        timeline=[
            TimelineCopy(
                status=e.status,
                status_label=status_label(e.status),
                occurred_at=e.occurred_at,
                note=e.note,
            )
            for e in session.scalars(
                select(TimelineEntry)
                .where(TimelineEntry.complaint_id == of)
                .order_by(TimelineEntry.occurred_at, TimelineEntry.id)
            )
        ],
        ratings=[
            RatingCopy(
                answered_at=r.answered_at, score=r.score, comment=r.comment, rated_at=r.created_at
            )
            for r in session.scalars(
                select(Rating).where(Rating.complaint_id == of).order_by(Rating.id)
            )
        ],
        surveys=[
            SurveyCopy(
                answered_at=v.answered_at,
                scores=dict(zip(CODES, v.scores, strict=True)),
                submitted_at=v.created_at,
            )
            for v in session.scalars(
                select(Survey).where(Survey.complaint_id == of).order_by(Survey.id)
            )
        ],
        attachments=[
            AttachmentCopy(
                filename=a.filename, media_type=a.media_type, size=a.size, added_at=a.created_at
            )
            for a in session.scalars(
                select(Attachment)
                .where(Attachment.complaint_id == of)
                .order_by(Attachment.created_at, Attachment.id)
            )
        ],
        inbox_messages=[
            InboxCopy(kind=m.kind, title=m.title, body=m.body, created_at=m.created_at)
            for m in session.scalars(
                select(InboxMessage)
                .where(InboxMessage.complaint_id == of)
                .order_by(InboxMessage.id)
            )
        ],
        undelivered_notices=[
            UndeliveredCopy(
                kind=n.kind, channels=n.channels, failed_at=n.failed_at, delivered_at=n.delivered_at
            )
            for n in session.scalars(
                select(UndeliverableNotice)
                .where(UndeliverableNotice.complaint_id == of)
                .order_by(UndeliverableNotice.id)
            )
        ],
        push_subscriptions=[
            PushCopy(endpoint=p.endpoint, created_at=p.created_at)
            for p in session.scalars(
                select(PushSubscription)
                .where(PushSubscription.complaint_id == of)
                .order_by(PushSubscription.id)
            )
        ],
    )
