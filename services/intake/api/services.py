"""The public catalogue of licensing services (*katalog layanan*): what a complaint's
``service_code`` may name, from intake's copy of the workflow's catalogue."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from services.intake.api.dependencies import SessionDep
from services.intake.catalogue.copy import active_entries
from services.intake.models import CatalogueEntry
from shared.licensing_services import GROUP_LABELS, ServiceGroup
from shared.web.api_errors import error_responses

router = APIRouter(prefix="/api/v1")
# The list changes only when the office edits it: a minute in a cache costs nothing.
CACHE = {"Cache-Control": "public, max-age=60"}


class ServiceOut(BaseModel):
    code: str = Field(description="Kode layanan, untuk `service_code` laporan pengaduan")
    name: str = Field(description="Nama layanan")
    group: str = Field(description="Kelompok: `berusaha` atau `non_berusaha`")
    group_label: str = Field(description="Kelompok, untuk dibaca")

    @classmethod
    def of(cls, entry: CatalogueEntry) -> ServiceOut:
        return cls(
            code=entry.code,
            name=entry.name,
            group=entry.group,
            group_label=GROUP_LABELS[ServiceGroup(entry.group)],
        )


@router.get("/services", summary="Katalog layanan perizinan", responses=error_responses(503))
def list_services(session: SessionDep, response: Response) -> list[ServiceOut]:
    """Layanan perizinan berusaha dan non berusaha yang dapat diadukan, per kelompok lalu
    menurut nama. Sebutkan `code`-nya sebagai `service_code` pada
    `POST /api/v1/complaints`; kode yang tidak ada di sini ditolak (422). Bila tidak tahu,
    kosongkan `service_code` atau pilih `LAINNYA`."""
    response.headers.update(CACHE)
    return [ServiceOut.of(e) for e in active_entries(session)]
