"""Staff routes for the licensing services catalogue (``catalogue.entries``): every staff
member reads it; the Koordinator and the Admin Pengaduan add and edit its entries; the Kasi
corrects the service a case names (``cases.service_correction``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Path, status
from pydantic import BaseModel, ConfigDict, Field

from services.workflow.api.dependencies import CurrentUser
from services.workflow.cases.service_correction import correct_service
from services.workflow.catalogue import entries
from services.workflow.catalogue.entries import ServiceIn, ServicePatch
from services.workflow.dependencies import SessionDep
from services.workflow.models import CatalogueEntry
from shared.licensing_services import GROUP_LABELS, ServiceGroup
from shared.web.api_errors import error_responses

router = APIRouter(prefix="/api/v1", tags=["katalog layanan"])
ServiceCode = Annotated[str, Path(max_length=20, description="Kode layanan, mis. `PBG`")]
CaseId = Annotated[str, Path(max_length=64, description="case_id laporan pengaduan")]


class ServiceOut(BaseModel):
    code: str
    name: str
    group: str = Field(description="`berusaha` atau `non_berusaha`")
    group_label: str
    active: bool = Field(description="false: ditarik; laporan baru tidak dapat menyebutnya")
    revision: int = Field(description="Bertambah satu pada setiap perubahan")
    updated_at: datetime
    updated_by: str | None = Field(description="Petugas yang terakhir mengubahnya; kosong: awal")

    @classmethod
    def of(cls, entry: CatalogueEntry) -> ServiceOut:
        return cls(
            code=entry.code,
            name=entry.name,
            group=entry.group,
            group_label=GROUP_LABELS[ServiceGroup(entry.group)],
            active=entry.active,
            revision=entry.revision,
            updated_at=entry.updated_at,
            updated_by=entry.updated_by,
        )


class CaseServiceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service_code: str | None = Field(
        max_length=20,
        description="Kode layanan dari katalog (yang masih dipakai); null: tidak menyebut layanan",
    )


class CaseServiceOut(BaseModel):
    case_id: str
    tracking_code: str
    service_code: str | None
    service_name: str | None
    message: str


@router.get("/services", summary="Katalog layanan", responses=error_responses(401))
def list_services(user: CurrentUser, session: SessionDep) -> list[ServiceOut]:  # noqa: ARG001
    """Seluruh layanan perizinan dalam katalog, termasuk yang sudah ditarik (`active` false),
    per kelompok lalu menurut nama. Terbaca oleh semua petugas."""
    return [ServiceOut.of(e) for e in entries.all_entries(session)]


@router.post(
    "/services",
    status_code=status.HTTP_201_CREATED,
    summary="Tambah layanan ke katalog",
    responses=error_responses(401, 403, 409, 422),
)
def add_service(
    body: Annotated[
        ServiceIn,
        Body(
            openapi_examples={
                "layanan": {
                    "summary": "Layanan baru",
                    "value": {
                        "code": "IUJK",
                        "name": "Izin Usaha Jasa Konstruksi",
                        "group": "berusaha",
                    },
                }
            }
        ),
    ],
    user: CurrentUser,
    session: SessionDep,
) -> ServiceOut:
    """Layanan baru (`code`, `name`, `group`), langsung dapat dipilih pengadu. Hanya
    Koordinator dan Admin Pengaduan (peran lain: 403). Kode yang sudah ada, juga yang sudah
    ditarik: 409; isian tidak valid: 422. Kode tidak dapat diubah kemudian."""
    return ServiceOut.of(entries.create(session, user, body))


@router.patch(
    "/services/{code}",
    summary="Ubah, tarik atau pulihkan layanan",
    responses=error_responses(401, 403, 404, 422),
)
def edit_service(
    code: ServiceCode,
    body: Annotated[
        ServicePatch,
        Body(
            openapi_examples={
                "ganti-nama": {"summary": "Ganti nama", "value": {"name": "Izin Reklame"}},
                "tarik": {"summary": "Tarik dari katalog", "value": {"active": False}},
            }
        ),
    ],
    user: CurrentUser,
    session: SessionDep,
) -> ServiceOut:
    """Ubah `name` atau `group`, tarik layanan (`active` false: laporan baru tidak dapat
    menyebutnya, laporan lama tetap menyebutnya) atau pulihkan (`active` true). Hanya
    Koordinator dan Admin Pengaduan (403 bagi peran lain)."""
    return ServiceOut.of(entries.edit(session, user, code, body))


@router.put(
    "/cases/{case_id}/service",
    summary="Koreksi layanan perizinan laporan",
    responses=error_responses(401, 403, 404, 422),
)
def correct_case_service(
    case_id: CaseId,
    body: Annotated[
        CaseServiceIn,
        Body(
            openapi_examples={"koreksi": {"summary": "Koreksi", "value": {"service_code": "PBG"}}}
        ),
    ],
    user: CurrentUser,
    session: SessionDep,
) -> CaseServiceOut:
    """Kasi mengoreksi layanan perizinan yang diadukan: dicatat dalam riwayat laporan
    (`service_corrected`, dengan layanan sebelum dan sesudahnya) dan diteruskan ke halaman
    lacak pengadu. Hanya Kasi (403 bagi peran lain); kode yang tidak ada dalam katalog atau
    sudah ditarik: 422."""
    case = correct_service(session, case_id=case_id, user=user, service_code=body.service_code)
    named = entries.entry(session, case.service_code) if case.service_code else None
    return CaseServiceOut(
        case_id=case.id,
        tracking_code=case.tracking_code,
        service_code=case.service_code,
        service_name=named.name if named else None,
        message=f"Layanan laporan pengaduan {case.tracking_code}: "
        + (f"{named.name} ({named.code})" if named else "tidak menyebut layanan"),
    )
