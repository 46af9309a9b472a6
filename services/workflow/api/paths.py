"""Staff routes for the SOP's paths out of a step (``shared.sop.PATHS``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, status
from pydantic import BaseModel

from services.workflow.api.dependencies import CurrentUser
from services.workflow.cases.paths import take_path
from services.workflow.dependencies import SessionDep
from shared.sop import PATHS, STEP_BY_NUMBER
from shared.web.api_errors import error_responses

router = APIRouter(prefix="/api/v1", tags=["jalur SOP"])


class PathFieldOut(BaseModel):
    name: str
    label: str
    required: bool


class PathOut(BaseModel):
    step: int
    name: str
    label: str
    role: str
    fields: list[PathFieldOut]
    returns_to: int | None
    closes: bool
    waits_for_complainant: bool


class PathTakenOut(BaseModel):
    case_id: str
    tracking_code: str
    step: int
    path: str
    taken_at: datetime
    status: str
    current_step: int | None
    message: str


PATH_BODY_EXAMPLES: dict[str, Any] = {
    p.name: {"summary": p.label, "value": {f.name: f.label for f in p.inputs}} for p in PATHS
}


@router.get(
    "/sop/paths", summary="Jalur SOP selain menyelesaikan langkah", responses=error_responses(401)
)
def list_paths(_user: CurrentUser) -> list[PathOut]:
    """Setiap jalur keluar dari sebuah langkah selain menyelesaikannya (permintaan kelengkapan
    data, penolakan, pengembalian, duplikat), dengan peran yang boleh mengambilnya, isian yang
    diperlukan, dan ke mana laporan pengaduan sesudahnya."""
    return [
        PathOut(
            step=p.step,
            name=p.name,
            label=p.label,
            role=STEP_BY_NUMBER[p.step].role.value,
            fields=[
                PathFieldOut(name=f.name, label=f.label, required=f.required) for f in p.inputs
            ],
            returns_to=p.returns_to,
            closes=p.closes,
            waits_for_complainant=p.waits_for_complainant,
        )
        for p in PATHS
    ]


@router.post(
    "/cases/{case_id}/steps/{step}/paths/{path}",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Ambil jalur SOP dari langkah saat ini",
    responses=error_responses(401, 403, 404, 409, 422),
)
def take(
    case_id: Annotated[str, Path(max_length=64)],
    step: Annotated[int, Path(ge=-(2**31), le=2**31)],
    path: Annotated[str, Path(max_length=64)],
    user: CurrentUser,
    session: SessionDep,
    payload: Annotated[dict[str, Any], Body(openapi_examples=PATH_BODY_EXAMPLES)],
) -> PathTakenOut:
    """Ambil jalur keluar dari langkah tempat laporan pengaduan sedang menunggu, sebagai ganti
    menyelesaikannya (permintaan kelengkapan data, penolakan, pengembalian, duplikat); alasannya
    masuk ke catatan laporan. Aturan peran, urutan dan isian sama dengan menyelesaikan
    langkah."""
    taken = take_path(
        session, case_id=case_id, step_number=step, name=path, user=user, payload=payload
    )
    return PathTakenOut(
        case_id=taken.case.id,
        tracking_code=taken.case.tracking_code,
        step=step,
        path=path,
        taken_at=taken.taken_at,
        status=taken.case.status,
        current_step=taken.case.current_step,
        message=f"{taken.path.label}: tercatat",
    )
