"""Staff routes for finding cases, reading their record, and holding them: any staff member may
read any case; claiming is for the role of the step the case waits at."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, status
from sqlalchemy.orm import Session

from services.workflow.api.dependencies import CurrentUser
from services.workflow.api.schemas import (
    AssigneeOut,
    CaseOut,
    CasePage,
    CaseSummary,
    ClaimOut,
    EventOut,
    HistoryOut,
)
from services.workflow.cases import claims, identity, identity_reads, notes, search
from services.workflow.cases.disposition import staff_by_username
from services.workflow.cases.history import actor_names, events_of
from services.workflow.cases.identity_reads import ReadVia
from services.workflow.catalogue.entries import service_name
from services.workflow.dependencies import SessionDep
from services.workflow.models import Case, CaseEvent, StaffUser
from services.workflow.sla import clock, step_clock
from shared.sop import ROLE_LABELS, STEP_BY_NUMBER
from shared.web.api_errors import error_responses

router = APIRouter(prefix="/api/v1/cases", tags=["laporan pengaduan"])
CaseId = Annotated[str, Path(max_length=64, description="case_id laporan pengaduan")]


@router.get("", summary="Cari laporan pengaduan", responses=error_responses(401, 422))
def find_cases(
    filters: Annotated[search.CaseFilter, Query()], user: CurrentUser, session: SessionDep
) -> CasePage:
    """Laporan pengaduan yang memenuhi semua filter, terbaru lebih dulu, per halaman."""
    now = clock.now()
    found = search.find_cases(session, filters, now=now, reader=user)
    identity_reads.record_reads(session, found.cases, user, ReadVia.API_SEARCH)
    return CasePage(
        items=[_summary(case, now, user) for case in found.cases],
        total=found.total,
        limit=filters.limit,
        offset=filters.offset,
    )


@router.get(
    "/{case_id}/history", summary="Catatan laporan pengaduan", responses=error_responses(401, 404)
)
def read_history(case_id: CaseId, user: CurrentUser, session: SessionDep) -> HistoryOut:
    """Seluruh catatan laporan pengaduan, dari yang terlama. Catatan tidak dapat diubah. Pada
    laporan rahasia, nama, email dan nomor telepon pengadu dalam catatan hanya terbaca oleh
    Admin Pengaduan."""
    case = search.get_case(session, case_id)
    return HistoryOut(
        case_id=case.id,
        tracking_code=case.tracking_code,
        events=history_out(session, case, user),
    )


@router.post(
    "/{case_id}/notes",
    status_code=status.HTTP_201_CREATED,
    summary="Tambah catatan internal",
    responses=error_responses(401, 404, 422),
)
def add_note(
    case_id: CaseId,
    user: CurrentUser,
    session: SessionDep,
    payload: Annotated[
        dict[str, Any],
        Body(
            openapi_examples={
                "catatan": {
                    "summary": "Catatan internal",
                    "value": {"text": "Pengadu menelepon: berkas sudah dikirim ulang lewat OSS"},
                }
            }
        ),
    ],
) -> EventOut:
    """Catatan untuk sesama petugas (`text`, paling banyak 2000 karakter), dari peran mana pun
    di langkah mana pun; dicatat dalam riwayat laporan (`kind` `note`) bersama langkah saat
    itu, dan tidak mengubah laporan. Catatan internal tidak pernah ditampilkan atau dikirim
    kepada pengadu. Teks kosong atau terlalu panjang: 422."""
    event = notes.add_note(session, case_id=case_id, user=user, payload=payload)
    return event_out(session, event, search.get_case(session, case_id), user)


@router.post(
    "/{case_id}/claim",
    summary="Pegang laporan pengaduan",
    responses=error_responses(401, 403, 404, 409),
)
def claim(case_id: CaseId, user: CurrentUser, session: SessionDep) -> ClaimOut:
    """Ambil laporan pengaduan untuk ditangani; petugas lain melihat siapa yang memegangnya."""
    case = claims.claim(session, case_id, user)
    return _claim_out(case, f"Laporan pengaduan {case.tracking_code} sekarang Anda tangani")


@router.post(
    "/{case_id}/release",
    summary="Lepaskan laporan pengaduan",
    responses=error_responses(401, 404, 409),
)
def release(case_id: CaseId, user: CurrentUser, session: SessionDep) -> ClaimOut:
    """Lepaskan laporan pengaduan yang Anda pegang, kembali ke daftar kerja bersama."""
    case = claims.release(session, case_id, user)
    return _claim_out(case, f"Laporan pengaduan {case.tracking_code} tidak dipegang siapa pun")


@router.get("/{case_id}", summary="Lihat laporan pengaduan", responses=error_responses(401, 404))
def read_case(
    case_id: Annotated[str, Path(max_length=64)], user: CurrentUser, session: SessionDep
) -> CaseOut:
    """Data laporan pengaduan lengkap: langkah dan peran yang sedang menanganinya, batas
    waktunya, siapa yang memegangnya, jawabannya, laporan duplikatnya, serta seluruh
    catatannya. Identitas pengadu menurut pilihannya (`identity`): laporan rahasia
    (`confidential`) menampilkan nama, email dan nomor telepon pengadu hanya kepada Admin
    Pengaduan, kepada peran lain "Identitas dirahasiakan"; laporan anonim (`anonymous`):
    "Anonim", tanpa kontak. Setiap pembacaan yang menampilkan identitas pengadu dicatat
    (`GET /api/v1/cases/{case_id}/identity-reads`)."""
    case = search.get_case(session, case_id)
    identity_reads.record_reads(session, [case], user, ReadVia.API_CASE)
    return _case_out(session, case, user)


def _claim_out(case: Case, message: str) -> ClaimOut:
    return ClaimOut(
        case_id=case.id,
        tracking_code=case.tracking_code,
        step=case.current_step,
        held_by=case.held_by,
        held_at=case.held_at,
        message=message,
    )


def _summary(case: Case, now: datetime, user: StaffUser) -> CaseSummary:
    step = STEP_BY_NUMBER.get(case.current_step) if case.current_step else None
    reporter = identity.reporter_view(case, user)
    return CaseSummary(
        case_id=case.id,
        tracking_code=case.tracking_code,
        status=case.status,
        status_label=search.status_label(case.status),
        subject=identity.scrubber(case, user)(case.subject),
        identity=reporter.identity.value,
        reporter_name=reporter.name,
        service_code=case.service_code,
        current_step=case.current_step,
        current_role=step.role.value if step else None,
        current_role_label=ROLE_LABELS[step.role] if step else None,
        arrived_at=case.step_arrived_at,
        due_at=case.due_at,
        overdue=step_clock.is_overdue(case, now),
        held_by=case.held_by,
        held_at=case.held_at,
        filed_at=case.filed_at,
        closed_at=case.closed_at,
    )


def _case_out(session: Session, case: Case, user: StaffUser) -> CaseOut:
    current = STEP_BY_NUMBER.get(case.current_step) if case.current_step else None
    reporter = identity.reporter_view(case, user)
    scrub = identity.scrubber(case, user)
    return CaseOut(
        case_id=case.id,
        tracking_code=case.tracking_code,
        status=case.status,
        status_label=search.status_label(case.status),
        subject=scrub(case.subject),
        description=scrub(case.description),
        identity=reporter.identity.value,
        identity_label=reporter.identity_label,
        reporter_name=reporter.name,
        reporter_email=reporter.email,
        reporter_phone=reporter.phone,
        licence_reference=case.licence_reference,
        service_code=case.service_code,
        service_name=service_name(session, case.service_code),
        channels=case.channels,
        received_via=case.received_via,
        taken_by=case.taken_by,
        current_step=case.current_step,
        current_role=current.role.value if current else None,
        arrived_at=case.step_arrived_at,
        due_at=case.due_at,
        reply_due_at=case.reply_due_at,
        answer=scrub(case.answer),
        filed_at=case.filed_at,
        closed_at=case.closed_at,
        held_by=case.held_by,
        held_at=case.held_at,
        duplicate_of=search.tracking_code_of(session, case.duplicate_of),
        duplicates=search.duplicates_of(session, case.id),
        assignees=_assignees(session, case),
        due_date=case.due_date,
        history=history_out(session, case, user),
    )


def history_out(session: Session, case: Case, user: StaffUser) -> list[EventOut]:
    """The record with each actor named as staff read it, beside the actor's stable code; what
    the reader may not know of the complainant taken out (``identity.scrubber``)."""
    events = events_of(session, case.id)
    names = actor_names(session, events)
    scrub = identity.scrubber(case, user)
    return [_event_out(e, names, scrub) for e in events]


def event_out(session: Session, event: CaseEvent, case: Case, user: StaffUser) -> EventOut:
    return _event_out(event, actor_names(session, [event]), identity.scrubber(case, user))


def _event_out(event: CaseEvent, names: dict[str, str], scrub: Callable[[Any], Any]) -> EventOut:
    return EventOut.model_validate(event).model_copy(
        update={
            "actor_label": names[event.actor],
            "input": scrub(event.input),
            "output": scrub(event.output),
        }
    )


def _assignees(session: Session, case: Case) -> list[AssigneeOut]:
    members = staff_by_username(session, list(case.assignees or []))
    return [
        AssigneeOut(username=u, full_name=m.full_name, unit=m.unit)
        if (m := members.get(u))
        else AssigneeOut(username=u, full_name="")
        for u in case.assignees or []
    ]
