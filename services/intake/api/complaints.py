"""The citizens' routes for a laporan pengaduan: filing it, following it with the tracking code
and access token, and sending the information staff asked for."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response, status

from services.intake.api.body_limit import TOO_LARGE_RESPONSE
from services.intake.api.client_limits import limit_tracking
from services.intake.api.dependencies import (
    MISSING_HEADER_MESSAGE,
    NO_STORE,
    AccessToken,
    SessionDep,
)
from services.intake.api.staff_filing import FilerDep, taken_by
from services.intake.catalogue.copy import service_name
from services.intake.database import get_db
from services.intake.feedback import ratings, surveys
from services.intake.feedback.schemas import RatingOut, SurveyOut
from services.intake.filing import attachments, complaints, idempotency
from services.intake.filing.idempotency import IdempotencyKey
from services.intake.filing.schemas import AttachmentOut, ComplaintOut, FiledOut, ReplyIn, ReplyOut
from services.intake.tracking import notices
from shared.messaging.contracts.filing import ComplaintIn
from shared.sop import reply_reader_label
from shared.web.api_errors import error_responses
from shared.web.domain_errors import Unauthorized

router = APIRouter(prefix="/api/v1/complaints")


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Ajukan laporan pengaduan",
    responses={**error_responses(400, 401, 403, 409, 422, 429, 503), **TOO_LARGE_RESPONSE},
)
def file_complaint(
    body: ComplaintIn,
    response: Response,
    key: IdempotencyKey,
    filer: FilerDep,
) -> FiledOut:
    """Laporan pengaduan diterima dan diteruskan ke langkah pertama SOP. Jawabannya memuat
    **kode pelacakan** dan **token akses**; token akses hanya ditampilkan sekali. Kirim ulang
    permintaan yang sama dengan header `Idempotency-Key` yang sama bila jawaban tidak sampai:
    Anda menerima jawaban pertama lagi, bukan laporan kedua.

    **Admin Pengaduan** mencatat laporan yang diterima melalui telepon, loket atau surat dengan
    `received_via` dan token petugasnya (`Authorization: Bearer`, dari
    `POST /api/v1/auth/token` layanan petugas); laporan itu tidak dihitung dalam batas
    pengiriman per alamat, dan jawabannya adalah tanda terima bagi pengadu."""
    # The transaction in the route's own thread rather than a dependency's: FastAPI runs a sync
    # dependency's entry and its exit (the commit) each in a thread-pool hop of its own, which
    # cost more CPU than the filing's statements (py-spy, docs/BENCHMARKS.md). As with
    # ``SessionDep``, the commit is done before the answer is sent.
    with get_db().transaction() as session:
        answer = idempotency.file_once(session, body, key, taken_by(body, filer))
    response.headers.update(NO_STORE)
    response.headers["Location"] = f"/api/v1/complaints/{answer.tracking_code}"
    return answer


@router.get(
    "/{tracking_code}",
    summary="Lihat perkembangan laporan pengaduan",
    responses=error_responses(401, 404, 429, 503),
    dependencies=[Depends(limit_tracking)],
)
def track_complaint(
    tracking_code: str,
    session: SessionDep,
    response: Response,
    x_access_token: AccessToken = None,
) -> ComplaintOut:
    """Status terkini, riwayat status, lampiran Anda dan, setelah dikirim, jawaban pengaduan
    dengan batas waktu permintaan dibuka kembali (`reopen_until`), penilaian Anda dan
    jawaban survei kepuasan Anda.
    Hanya untuk pemegang token akses (header `X-Access-Token`): kode yang tidak dikenal dan
    token yang salah sama-sama dijawab 404."""
    if not x_access_token:
        raise Unauthorized(MISSING_HEADER_MESSAGE)
    complaint = complaints.find_for_citizen(session, tracking_code, x_access_token)
    response.headers.update(NO_STORE)
    answer = ComplaintOut.of(complaint, complaints.timeline(session, complaint))
    answer.service_name = service_name(session, complaint.service_code)
    # Said so the citizen can check the address or number they gave (docs/PORTAL.md).
    answer.undelivered_notices = [n.out for n in notices.undelivered(session, complaint)]
    answer.attachments = [
        AttachmentOut.of(a) for a in attachments.attachments_of(session, complaint)
    ]
    rating = ratings.rating_of_answer(session, complaint)
    answer.rating = RatingOut.of(rating) if rating is not None else None
    survey = surveys.survey_of_answer(session, complaint)
    answer.survey = SurveyOut.of(survey) if survey is not None else None
    return answer


@router.post(
    "/{tracking_code}/replies",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Kirim kelengkapan data yang diminta petugas",
    responses={**error_responses(400, 401, 404, 409, 422, 429, 503), **TOO_LARGE_RESPONSE},
    dependencies=[Depends(limit_tracking)],
)
def reply(
    tracking_code: str,
    body: ReplyIn,
    session: SessionDep,
    response: Response,
    x_access_token: AccessToken = None,
) -> ReplyOut:
    """Kelengkapan data yang diminta petugas, dikirim kembali ke langkah yang memintanya. Hanya
    selama permintaan itu terbuka: jawaban kedua ditolak (409)."""
    if not x_access_token:
        raise Unauthorized(MISSING_HEADER_MESSAGE)
    complaint = complaints.find_for_citizen(session, tracking_code, x_access_token)
    complaints.submit_reply(session, complaint, body.message)
    response.headers.update(NO_STORE)
    return ReplyOut(
        tracking_code=complaint.tracking_code,
        status=complaint.status,
        message="Kelengkapan data Anda telah dikirim dan akan ditelaah kembali oleh "
        + reply_reader_label(),
    )
