"""The staff route for a role's worklist (``work_items``): the cases waiting at its steps."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from services.workflow.api.dependencies import CurrentUser
from services.workflow.cases import identity_reads
from services.workflow.cases.identity_reads import ReadVia
from services.workflow.cases.waiting import WAITING_FOR_COMPLAINANT, WaitingItem, waiting_items
from services.workflow.cases.work_items import WorkItem, listed
from services.workflow.dependencies import SessionDep
from services.workflow.sla import clock
from shared.sop import Role
from shared.web.api_errors import error_responses

router = APIRouter(prefix="/api/v1", tags=["daftar kerja"])


@router.get("/worklist", summary="Daftar kerja peran Anda", responses=error_responses(401, 422))
def worklist(
    user: CurrentUser,
    session: SessionDep,
    view: Annotated[
        Literal["waiting_for_complainant"] | None,
        Query(
            alias="filter",
            description="`waiting_for_complainant`: laporan yang menunggu tanggapan pengadu "
            "(permintaan kelengkapan data), batas waktu terdekat lebih dulu, sebagai pengganti "
            "daftar kerja peran Anda",
        ),
    ] = None,
    service_code: Annotated[
        str | None,
        Query(max_length=20, description="Hanya laporan tentang layanan ini (kode katalog)"),
    ] = None,
) -> list[WorkItem] | list[WaitingItem]:
    """Laporan pengaduan yang menunggu di langkah-langkah peran Anda: yang didisposisikan
    kepada Anda (``assigned_to_me``) paling atas, lalu yang lain; di masing-masing, yang
    melewati batas waktu lebih dulu (yang paling lama terlambat paling atas), lalu sisanya
    menurut waktu tiba, yang terlama lebih dulu; masing-masing dengan sisa waktu terhadap waktu
    baku langkahnya dalam menit kerja, dan siapa yang sedang memegangnya. Dengan
    `filter=waiting_for_complainant`: laporan yang menunggu tanggapan pengadu, dengan batas
    waktu tanggapannya. Dengan `service_code`: hanya laporan tentang layanan itu."""
    if view == WAITING_FOR_COMPLAINANT:
        return waiting_items(session, user)
    wanted = service_code.strip().upper() if service_code else None
    shown = listed(session, Role(user.role), clock.now(), user.username, service_code=wanted)
    # The items name the complainants: each shown one is a read of their identity.
    identity_reads.record_reads(session, [case for case, _ in shown], user, ReadVia.API_WORKLIST)
    return [item for _, item in shown]
