"""The complainant's copy of their personal data (UU 27/2022): one JSON file with everything
intake holds of them, for the holder of the access token only (``tracking.data_copy``)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from services.intake.api.dependencies import NO_STORE, CitizenComplaint, SessionDep
from services.intake.models import Complaint
from services.intake.tracking.data_copy import DataCopyOut, data_copy, filename
from shared.web.api_errors import error_responses

router = APIRouter(prefix="/api/v1/complaints")


def copy_download(session: SessionDep, complaint: Complaint) -> Response:
    """The copy as a file to save (never cached: it holds the name and contacts)."""
    copy = data_copy(session, complaint)
    return Response(
        copy.model_dump_json(indent=2),
        media_type="application/json",
        headers={
            **NO_STORE,
            "Content-Disposition": f'attachment; filename="{filename(complaint.tracking_code)}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get(
    "/{tracking_code}/data",
    summary="Unduh salinan data pribadi Anda",
    response_model=DataCopyOut,
    responses=error_responses(401, 404, 429, 503),
)
def personal_data(complaint: CitizenComplaint, session: SessionDep) -> Response:
    """Salinan seluruh data yang disimpan layanan penerimaan untuk laporan pengaduan ini (hak
    subjek data pribadi, UU 27/2022): identitas dan kontak, isi pengaduan, persetujuan atas
    pemberitahuan privasi, riwayat status dengan catatannya, jawaban, penilaian, lampiran
    (nama, ukuran, jenis) dan pesan kotak masuk, sebagai berkas JSON
    `data-pengaduan-<kode>.json`. Hanya untuk pemegang token akses (header `X-Access-Token`):
    kode yang tidak dikenal dan token yang salah sama-sama dijawab 404."""
    return copy_download(session, complaint)
