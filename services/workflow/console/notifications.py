"""The console's list of notifications that failed for good (``notifications.failed_deliveries``)
and their re-send, which only the role that re-sends may ask for
(``notifications.ensure_may_resend``, as the API asks); others read the list."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from services.workflow.cases import identity
from services.workflow.cases.notifications import (
    ensure_may_resend,
    failed_deliveries,
    may_resend,
    request_resend,
    tried_channels,
)
from services.workflow.console.history import (
    CHANNEL_LABELS,
    DELIVERY_STATUS,
    FALLBACK_LABEL,
    NOTIFICATION_LABELS,
)
from services.workflow.console.pages import page, redirect
from services.workflow.console.session import ConsoleUser
from services.workflow.dependencies import SessionDep
from services.workflow.errors import DeliveryNotFound
from shared.messaging.contracts import Channel
from shared.sop import ROLE_LABELS, complainant_desk

router = APIRouter(prefix="/console/notifikasi", include_in_schema=False)
LISTED = 100


@router.get("")
def failed(request: Request, user: ConsoleUser, session: SessionDep) -> Response:
    failures = failed_deliveries(session, LISTED)
    return page(
        request,
        "notifikasi.html",
        {
            "failures": [
                (outcome, case, identity.scrubber(case, user)(outcome.detail))
                for outcome, case in failures
            ],
            "tried": tried_channels(session, [outcome.notification_id for outcome, _ in failures]),
            "statuses": DELIVERY_STATUS,
            "fallback_label": FALLBACK_LABEL,
            "may_resend": may_resend(user),
            "resender": ROLE_LABELS[complainant_desk()],
            "channels": CHANNEL_LABELS,
            "kinds": NOTIFICATION_LABELS,
        },
    )


@router.post("/{notification_id}/{channel}/kirim-ulang")
def resend(
    notification_id: Annotated[str, Path(max_length=64)],
    channel: Annotated[str, Path(max_length=16)],
    user: ConsoleUser,
    session: SessionDep,
) -> Response:
    ensure_may_resend(user)
    try:
        parsed_id, parsed_channel = uuid.UUID(notification_id), Channel(channel)
    except ValueError:
        raise DeliveryNotFound("Pengiriman ini tidak ditemukan") from None
    request_resend(session, notification_id=parsed_id, channel=parsed_channel, user=user)
    return redirect("/console/notifikasi?pesan=kirim-ulang")
