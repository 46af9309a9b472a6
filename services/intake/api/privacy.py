"""The complainant's personal data (UU 27/2022): asking for its early erasure once the complaint
is closed, with the access token as every complainant route."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from services.intake.api.dependencies import NO_STORE, CitizenComplaint, SessionDep
from services.intake.privacy.requests import request_erasure
from shared.web.api_errors import error_responses

router = APIRouter(prefix="/api/v1/complaints")


class ErasureOut(BaseModel):
    tracking_code: str
    status: str = Field(description="Status laporan pengaduan (kode tetap)")
    erasure_requested_at: datetime | None = Field(
        description="Waktu permintaan penghapusan diterima"
    )
    erased_at: datetime | None = Field(
        description="Waktu data pribadi dihapus (kosong sampai penghapusan selesai)"
    )
    message: str = Field(description="Keterangan untuk pelapor")


@router.post(
    "/{tracking_code}/erasure",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Minta data pribadi dihapus",
    responses=error_responses(401, 404, 409, 429, 503),
)
def erase_personal_data(
    complaint: CitizenComplaint, session: SessionDep, response: Response
) -> ErasureOut:
    """Setelah laporan pengaduan **ditutup** (selesai, ditolak, digabungkan sebagai duplikat,
    atau ditutup karena tidak ada tanggapan), Anda dapat meminta data pribadi Anda dihapus
    sebelum masa simpannya berakhir: nama, email, nomor telepon, perihal, uraian, jawaban,
    catatan dan lampiran diganti dengan tanda `[data pribadi dihapus]` di semua layanan;
    status, tanggal dan layanan perizinan tetap tersimpan untuk statistik. Sebelum ditutup:
    409 `not_closed`. Permintaan kedua tidak mengirim apa pun lagi. Halaman lacak tetap dapat
    dibuka dengan kode pelacakan dan token akses."""
    message = request_erasure(session, complaint)
    response.headers.update(NO_STORE)
    return ErasureOut(
        tracking_code=complaint.tracking_code,
        status=complaint.status,
        erasure_requested_at=complaint.erasure_requested_at,
        erased_at=complaint.erased_at,
        message=message,
    )
