"""The Admin Pengaduan's list of who read a complainant's identity (UU 27/2022), per case
(``cases.identity_reads``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from services.workflow.api.dependencies import CurrentUser
from services.workflow.cases import identity_reads, search
from services.workflow.dependencies import SessionDep
from shared.web.api_errors import error_responses

router = APIRouter(prefix="/api/v1/cases", tags=["laporan pengaduan"])


class IdentityReadOut(BaseModel):
    username: str = Field(description="Nama pengguna petugas yang membaca")
    full_name: str = Field(description="Nama lengkap petugas (nama pengguna bila tidak ada)")
    role: str
    role_label: str
    read_at: datetime
    via: str = Field(
        description="Di mana identitas terbaca: console_case (halaman laporan), "
        "console_receipt (tanda terima dicetak ulang), api_case, api_search, api_worklist"
    )
    via_label: str


@router.get(
    "/{case_id}/identity-reads",
    summary="Riwayat akses identitas pengadu",
    responses=error_responses(401, 403, 404),
)
def list_identity_reads(
    case_id: Annotated[str, Path(max_length=64, description="case_id laporan pengaduan")],
    user: CurrentUser,
    session: SessionDep,
) -> list[IdentityReadOut]:
    """Setiap kali petugas membaca nama atau kontak pengadu laporan ini (halaman laporan, data
    laporan, hasil pencarian, daftar kerja, tanda terima): siapa, kapan dan di mana, yang
    terbaru lebih dulu (UU 27/2022 tentang Pelindungan Data Pribadi). Pembacaan yang hanya
    menampilkan "Identitas dirahasiakan" atau "Anonim" tidak dicatat. Hanya untuk Admin
    Pengaduan (403 bagi peran lain)."""
    identity_reads.ensure_may_list(user)
    case = search.get_case(session, case_id)
    return [IdentityReadOut(**vars(line)) for line in identity_reads.reads_of(session, case.id)]
