"""The complainant's say after the answer: rating it (*puas / tidak puas*), the optional SKM
survey after the rating, and asking for the case to be reopened (*dibuka kembali*), with the
access token as every complainant route."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from services.intake.api.dependencies import NO_STORE, CitizenComplaint, SessionDep
from services.intake.feedback import ratings, reopening, surveys
from services.intake.feedback.schemas import (
    RatedOut,
    RatingIn,
    RatingOut,
    ReopenIn,
    ReopenOut,
    SurveyedOut,
    SurveyIn,
    SurveyOut,
)
from services.intake.feedback.statuses import REOPEN_REQUESTED
from shared.sop import REOPENING
from shared.web.api_errors import error_responses

router = APIRouter(prefix="/api/v1/complaints")

RATED_MESSAGE = "Terima kasih, penilaian Anda atas jawaban pengaduan telah kami terima."
RATED_REOPEN_MESSAGE = (
    "Terima kasih, penilaian Anda telah kami terima. Karena Anda tidak puas, laporan pengaduan "
    "diminta dibuka kembali; permintaan itu sedang diproses."
)
SURVEYED_MESSAGE = (
    "Terima kasih, jawaban survei kepuasan Anda telah kami terima. Hasilnya membantu kami "
    "memperbaiki pelayanan perizinan."
)
REOPEN_MESSAGE = (
    "Permintaan dibuka kembali telah diterima dan sedang diproses. Perkembangannya tampil pada "
    "halaman lacak laporan."
)


@router.post(
    "/{tracking_code}/rating",
    status_code=status.HTTP_201_CREATED,
    summary="Nilai jawaban pengaduan",
    responses=error_responses(401, 404, 409, 422, 429, 503),
)
def rate_answer(
    body: RatingIn, complaint: CitizenComplaint, session: SessionDep, response: Response
) -> RatedOut:
    """Penilaian Anda atas jawaban pengaduan, dengan skala Survei Kepuasan Masyarakat:
    **4** sangat baik, **3** baik (*puas*), **2** kurang baik, **1** tidak baik (*tidak puas*),
    dan tanggapan bila ada. Setiap jawaban dinilai **satu kali** (penilaian kedua: 409); bila
    laporan dibuka kembali dan dijawab lagi, jawaban yang baru dapat dinilai lagi.

    Penilaian *tidak puas* (1 atau 2) sebelum batas waktu `reopen_until` sekaligus meminta
    laporan dibuka kembali, dengan tanggapan Anda sebagai alasannya. Ditolak (409) sebelum
    jawaban dikirim dan setelah laporan ditutup."""
    rating = ratings.rate(session, complaint, body.score, body.comment)
    response.headers.update(NO_STORE)
    reopening_asked = complaint.status == REOPEN_REQUESTED and not REOPENING.is_satisfied(
        rating.score
    )
    return RatedOut(
        tracking_code=complaint.tracking_code,
        status=complaint.status,
        rating=RatingOut.of(rating),
        message=RATED_REOPEN_MESSAGE if reopening_asked else RATED_MESSAGE,
    )


@router.post(
    "/{tracking_code}/survey",
    status_code=status.HTTP_201_CREATED,
    summary="Isi Survei Kepuasan Masyarakat",
    responses=error_responses(401, 404, 409, 422, 429, 503),
)
def answer_survey(
    body: SurveyIn, complaint: CitizenComplaint, session: SessionDep, response: Response
) -> SurveyedOut:
    """Survei Kepuasan Masyarakat (Permenpan RB 14/2017) atas jawaban yang sudah Anda nilai,
    **tidak wajib**: sembilan unsur pelayanan `U1`-`U9`, semuanya diisi, masing-masing **1**
    tidak baik, **2** kurang baik, **3** baik, **4** sangat baik. Satu kali untuk setiap
    jawaban; ditolak (409) sebelum jawaban dikirim (`not_answered`), sebelum jawaban dinilai
    (`not_rated`) dan bila sudah diisi (`already_surveyed`)."""
    survey = surveys.answer_survey(session, complaint, body.scores.in_order())
    response.headers.update(NO_STORE)
    return SurveyedOut(
        tracking_code=complaint.tracking_code,
        survey=SurveyOut.of(survey),
        message=SURVEYED_MESSAGE,
    )


@router.post(
    "/{tracking_code}/reopen",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Minta laporan pengaduan dibuka kembali",
    responses=error_responses(401, 404, 409, 422, 429, 503),
)
def reopen(
    body: ReopenIn, complaint: CitizenComplaint, session: SessionDep, response: Response
) -> ReopenOut:
    """Bila jawaban belum menyelesaikan masalah Anda: laporan pengaduan dibuka kembali
    (*dibuka kembali*) dan ditangani lagi, dengan alasan Anda. Hanya setelah jawaban dikirim
    dan sebelum batas waktu `reopen_until` (lihat `GET /api/v1/complaints/{tracking_code}`);
    selain itu 409 dengan penjelasannya: belum dijawab, batas waktu lewat, permintaan sudah
    diajukan atau laporan sedang ditangani kembali, atau laporan telah ditutup."""
    reopening.request_reopen(session, complaint, body.reason)
    response.headers.update(NO_STORE)
    return ReopenOut(
        tracking_code=complaint.tracking_code, status=complaint.status, message=REOPEN_MESSAGE
    )
