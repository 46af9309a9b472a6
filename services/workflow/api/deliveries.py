"""Staff routes for notifications that failed for good: the list operators work from, and the
re-send, which only the role that re-sends may ask for (``notifications.ensure_may_resend``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from services.workflow.api.dependencies import CurrentUser
from services.workflow.cases import identity
from services.workflow.cases.notifications import (
    ensure_may_resend,
    failed_deliveries,
    request_resend,
    tried_channels,
)
from services.workflow.dependencies import SessionDep
from shared.messaging.contracts import Channel
from shared.sop import ROLE_LABELS, complainant_desk
from shared.web.api_errors import error_responses

router = APIRouter(prefix="/api/v1", tags=["pengiriman pemberitahuan"])


class TriedChannelOut(BaseModel):
    channel: str
    status: str = Field(description="sent, failed atau resend_requested")
    fallback: bool = Field(
        description="Saluran cadangan: tidak dipilih pengadu, dicoba setelah semua saluran "
        "pilihannya gagal (urutan email, SMS, WhatsApp)"
    )


class FailedDeliveryOut(BaseModel):
    notification_id: str
    channel: str
    kind: str
    case_id: str
    tracking_code: str
    detail: str | None
    attempts: int | None
    reported_at: datetime
    fallback: bool = Field(description="Saluran ini saluran cadangan")
    tried: list[TriedChannelOut] = Field(
        description="Semua saluran yang dicoba untuk pemberitahuan ini, dengan hasilnya"
    )


class ResendOut(BaseModel):
    notification_id: str
    channel: str
    status: str
    message: str


@router.get(
    "/notifications/failed",
    summary="Pemberitahuan yang gagal terkirim",
    responses=error_responses(401, 422),
)
def list_failed(
    user: CurrentUser,  # any staff member may look; a stranger gets 401
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[FailedDeliveryOut]:
    """Pemberitahuan kepada pengadu yang tetap tidak terkirim setelah semua percobaan ulang,
    yang terlama lebih dulu, dengan semua saluran yang dicoba (termasuk saluran cadangan).
    Setiap petugas boleh melihatnya; pada laporan rahasia, kontak pengadu dalam keterangannya
    hanya terbaca oleh Admin Pengaduan."""
    failures = failed_deliveries(session, limit)
    tried = tried_channels(session, [outcome.notification_id for outcome, _ in failures])
    return [
        FailedDeliveryOut(
            notification_id=outcome.notification_id,
            channel=outcome.channel,
            kind=outcome.kind,
            case_id=case.id,
            tracking_code=case.tracking_code,
            detail=identity.scrubber(case, user)(outcome.detail),
            attempts=outcome.attempts,
            reported_at=outcome.reported_at,
            fallback=outcome.fallback,
            tried=[
                TriedChannelOut(channel=t.channel, status=t.status, fallback=t.fallback)
                for t in tried[outcome.notification_id]
            ],
        )
        for outcome, case in failures
    ]


@router.post(
    "/notifications/{notification_id}/channels/{channel}/resend",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Kirim ulang pemberitahuan yang gagal",
    description="Kirim sekali lagi pemberitahuan yang gagal, melalui saluran yang sama. Hanya "
    f"{ROLE_LABELS[complainant_desk()]} yang boleh (403); pemberitahuan yang sudah terkirim "
    "atau sedang dikirim ulang ditolak (409).",
    responses=error_responses(401, 403, 404, 409, 422),
)
def resend(
    notification_id: uuid.UUID, channel: Channel, user: CurrentUser, session: SessionDep
) -> ResendOut:
    ensure_may_resend(user)
    outcome = request_resend(session, notification_id=notification_id, channel=channel, user=user)
    return ResendOut(
        notification_id=outcome.notification_id,
        channel=outcome.channel,
        status=outcome.status,
        message="Pemberitahuan akan dikirim ulang",
    )
