"""Staff routes for notifications that failed for good: the list operators work from, and the
re-send. Anyone on staff may look; the role that speaks with complainants in the SOP
(``sop.complainant_desk``: the Admin Pengaduan) re-sends."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel

from services.workflow.api.dependencies import CurrentUser, SessionDep
from services.workflow.cases.notifications import failed_deliveries, request_resend
from services.workflow.errors import WrongRole
from services.workflow.models import StaffUser
from shared.messaging.contracts import Channel
from shared.sop import ROLE_LABELS, complainant_desk
from shared.web.api_errors import error_responses

router = APIRouter(prefix="/api/v1", tags=["pengiriman pemberitahuan"])


def may_resend(user: StaffUser) -> bool:
    return user.role == complainant_desk().value


def ensure_may_resend(user: StaffUser) -> None:
    """``WrongRole`` (403) for anyone but the role that re-sends (the API's and the console's)."""
    if not may_resend(user):
        desk = ROLE_LABELS[complainant_desk()]
        raise WrongRole(f"Pengiriman ulang pemberitahuan adalah tugas {desk}")


class FailedDeliveryOut(BaseModel):
    notification_id: str
    channel: str
    kind: str
    case_id: str
    tracking_code: str
    detail: str | None
    attempts: int | None
    reported_at: datetime


class ResendOut(BaseModel):
    notification_id: str
    channel: str
    status: str
    message: str


@router.get("/notifications/failed", responses=error_responses(401, 422))
def list_failed(
    user: CurrentUser,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[FailedDeliveryOut]:
    """Notifications that could not be delivered, after every retry: oldest first."""
    return [
        FailedDeliveryOut(
            notification_id=outcome.notification_id,
            channel=outcome.channel,
            kind=outcome.kind,
            case_id=case.id,
            tracking_code=case.tracking_code,
            detail=outcome.detail,
            attempts=outcome.attempts,
            reported_at=outcome.reported_at,
        )
        for outcome, case in failed_deliveries(session, limit)
    ]


@router.post(
    "/notifications/{notification_id}/channels/{channel}/resend",
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(401, 403, 404, 409, 422),
)
def resend(
    notification_id: uuid.UUID, channel: Channel, user: CurrentUser, session: SessionDep
) -> ResendOut:
    """Deliver a failed notification once more, on the same channel."""
    ensure_may_resend(user)
    outcome = request_resend(session, notification_id=notification_id, channel=channel, user=user)
    return ResendOut(
        notification_id=outcome.notification_id,
        channel=outcome.channel,
        status=outcome.status,
        message="Pemberitahuan akan dikirim ulang",
    )
