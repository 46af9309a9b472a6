"""The staff route that completes a step of the SOP (``steps.complete_step``) and hands the case
on to the next step's role."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, status

from services.workflow.api.dependencies import CurrentUser
from services.workflow.api.schemas import CompletionOut
from services.workflow.cases import steps
from services.workflow.dependencies import SessionDep
from shared.sop import ROLE_LABELS, STEPS, InputField, InputKind
from shared.web.api_errors import error_responses

router = APIRouter(prefix="/api/v1", tags=["langkah SOP"])


def example_value(field: InputField) -> Any:
    """What a field looks like in a body: a list of usernames, an ISO date, or text."""
    if field.kind is InputKind.STAFF:
        role = field.staff_role.value if field.staff_role else "petugas"
        return [f"nama_pengguna_{role}"]
    if field.kind is InputKind.DATE:
        return "2026-12-31"
    return field.label


def field_description(field: InputField) -> str:
    """A field as the API docs describe it."""
    need = "wajib" if field.required else "tidak wajib"
    if field.kind is InputKind.STAFF:
        whom = ROLE_LABELS[field.staff_role] if field.staff_role else "petugas"
        return (
            f"`{field.name}` ({need}): {field.label}, daftar nama pengguna (paling sedikit "
            f"satu), masing-masing petugas aktif {whom}"
        )
    if field.kind is InputKind.DATE:
        return (
            f"`{field.name}` ({need}): {field.label}, tanggal ISO (TTTT-BB-HH), tidak sebelum "
            "hari ini (WIB)"
        )
    return f"`{field.name}` ({need}): {field.label}, teks paling panjang {field.max_length}"


STEP_BODY_EXAMPLES: dict[str, Any] = {
    f"step{step.number}": {
        "summary": f"Langkah {step.number} ({step.role.value})",
        "description": "; ".join(field_description(f) for f in step.inputs) or "Tanpa isian",
        "value": {f.name: example_value(f) for f in step.inputs},
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
    valid juga (422), termasuk nama pengguna dalam ``assignees`` langkah 3 yang tidak dikenal,
    tidak aktif atau bukan anggota Tim Koordinasi (pesannya menyebut nama itu) dan ``due_date``
    sebelum hari ini. Penolakan tidak mengubah apa pun."""
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
