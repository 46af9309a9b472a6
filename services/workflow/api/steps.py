"""The staff route that completes a step of the SOP (``steps.complete_step``) and hands the case
on to the next step's role."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, status

from services.workflow.api.dependencies import CurrentUser
from services.workflow.api.schemas import CompletionOut
from services.workflow.cases import steps
from services.workflow.dependencies import SessionDep
from shared.sop import ROLE_LABELS, STEPS
from shared.web.api_errors import error_responses

router = APIRouter(prefix="/api/v1", tags=["langkah SOP"])

STEP_BODY_EXAMPLES: dict[str, Any] = {
    f"step{step.number}": {
        "summary": f"Langkah {step.number} ({step.role.value})",
        "value": {f.name: f.label for f in step.inputs},
    }
    for step in STEPS
}


@router.post(
    "/cases/{case_id}/steps/{step}",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Selesaikan langkah SOP",
    responses=error_responses(401, 403, 404, 409, 422),
)
def complete(
    case_id: Annotated[str, Path(max_length=64)],
    step: Annotated[int, Path(ge=-(2**31), le=2**31)],
    user: CurrentUser,
    session: SessionDep,
    payload: Annotated[dict[str, Any], Body(openapi_examples=STEP_BODY_EXAMPLES)],
) -> CompletionOut:
    """Selesaikan langkah tempat laporan pengaduan sedang menunggu, dengan isian yang diminta
    langkah itu (lihat contoh per langkah); hasilnya dicatat dan laporan diteruskan ke peran
    langkah berikutnya, atau jawaban diteruskan kepada pengadu setelah langkah terakhir. Hanya
    peran langkah itu yang boleh menyelesaikannya (403); langkah yang sudah selesai, belum
    gilirannya atau sedang dipegang petugas lain ditolak (409); isian yang kurang atau tidak
    valid juga (422). Penolakan tidak mengubah apa pun."""
    done = steps.complete_step(
        session, case_id=case_id, step_number=step, user=user, payload=payload
    )
    nxt = done.next_step
    message = (
        f"Langkah {step} selesai; laporan pengaduan diteruskan ke {ROLE_LABELS[nxt.role]}"
        if nxt
        else "Langkah terakhir selesai; jawaban diteruskan kepada pengadu"
    )
    return CompletionOut(
        case_id=done.case.id,
        tracking_code=done.case.tracking_code,
        step=step,
        completed_at=done.completed_at,
        next_step=nxt.number if nxt else None,
        next_role=nxt.role.value if nxt else None,
        message=message,
    )
