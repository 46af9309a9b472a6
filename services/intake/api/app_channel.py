"""The API's routes of the app channel (``services.intake.app_channel``): the complainant's
inbox, its live stream (Server-Sent Events) and the browsers subscribed to Web Push. Every
complaint route takes the access token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response, status
from sse_starlette import EventSourceResponse
from starlette.background import BackgroundTask

from services.intake.api.body_limit import TOO_LARGE_RESPONSE
from services.intake.api.dependencies import NO_STORE, CitizenComplaint, SessionDep
from services.intake.app_channel import inbox, push_subscriptions
from services.intake.app_channel.event_stream import (
    KEEPALIVE_SECONDS,
    STREAMS,
    complaint_events,
    parse_last_event_id,
)
from services.intake.filing.schemas import (
    InboxMessageOut,
    PublicKeyOut,
    PushSubscriptionIn,
    PushSubscriptionOut,
)
from shared.web.api_errors import error_responses

router = APIRouter()
SUBSCRIPTIONS = "/api/v1/complaints/{tracking_code}/push-subscriptions"
SSE_DESCRIPTION = """
Aliran Server-Sent Events untuk satu laporan pengaduan. Saat tersambung: pesan kotak masuk
setelah `Last-Event-ID` (semua bila tidak ada), lalu status terkini. Selanjutnya setiap pesan
baru (`event: message`, `id` = nomor pesan, data JSON `id`, `kind`, `title`, `body`,
`created_at`) dan setiap perubahan status (`event: status`, data JSON `status`,
`status_label`; status yang sama dikirim ulang bila keterangan lain laporan berubah, misalnya
pemberitahuan yang tidak sampai), serta komentar ping sebagai penjaga koneksi. `EventSource`
bawaan peramban tidak dapat mengirim header `X-Access-Token`: gunakan pembaca SSE berbasis
`fetch`.
"""
_SSE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Aliran event (text/event-stream)",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


@router.get(
    "/api/v1/complaints/{tracking_code}/messages",
    summary="Kotak masuk laporan pengaduan",
    responses=error_responses(401, 404, 429),
)
def list_messages(
    complaint: CitizenComplaint, session: SessionDep, response: Response
) -> list[InboxMessageOut]:
    """Pemberitahuan laporan pengaduan ini untuk pengadu yang memilih saluran `app`, yang
    terlama lebih dulu."""
    response.headers.update(NO_STORE)
    return [InboxMessageOut.of(m) for m in inbox.messages_after(session, complaint.id)]


@router.get(
    "/api/v1/complaints/{tracking_code}/events",
    summary="Pantau laporan pengaduan secara langsung (Server-Sent Events)",
    description=SSE_DESCRIPTION,
    response_class=EventSourceResponse,
    responses={**_SSE_RESPONSE, **error_responses(401, 404, 429)},
)
def stream_events(
    complaint: CitizenComplaint,
    last_event_id: Annotated[
        str | None,
        Header(alias="Last-Event-ID", description="Nomor pesan terakhir yang sudah diterima"),
    ] = None,
) -> EventSourceResponse:
    slot = STREAMS.take(complaint.id)  # 429 beyond the limit
    return EventSourceResponse(
        complaint_events(
            complaint.id, complaint.tracking_code, parse_last_event_id(last_event_id), slot
        ),
        ping=KEEPALIVE_SECONDS,
        # Gives the slot back should the stream never start (its own end does otherwise).
        background=BackgroundTask(slot.give_back),
    )


@router.get(
    "/api/v1/push/public-key",
    summary="Kunci publik untuk berlangganan notifikasi push",
    responses=error_responses(404),
)
def push_public_key() -> PublicKeyOut:
    """Kunci VAPID untuk `PushManager.subscribe({applicationServerKey})` di peramban; 404
    selama notifikasi push belum disiapkan di server."""
    return PublicKeyOut(public_key=push_subscriptions.public_key())


@router.post(
    SUBSCRIPTIONS,
    status_code=status.HTTP_201_CREATED,
    summary="Aktifkan notifikasi push di peramban ini",
    responses={**error_responses(401, 404, 409, 422, 429), **TOO_LARGE_RESPONSE},
)
def add_push_subscription(
    body: PushSubscriptionIn, complaint: CitizenComplaint, session: SessionDep, response: Response
) -> PushSubscriptionOut:
    """Daftarkan `PushSubscription.toJSON()` peramban ini untuk laporan pengaduan ini; peramban
    yang sama didaftarkan sekali saja. Endpoint harus https pada alamat publik (422); jumlah
    peramban per laporan pengaduan dibatasi (409)."""
    subscription = push_subscriptions.subscribe(session, complaint, body)
    response.headers.update(NO_STORE)
    return PushSubscriptionOut(
        endpoint=subscription.endpoint,
        message="Notifikasi push untuk laporan pengaduan ini aktif di peramban Anda",
    )


@router.delete(
    SUBSCRIPTIONS,
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Matikan notifikasi push di peramban ini",
    response_class=Response,
    responses=error_responses(401, 404, 422, 429),
)
def remove_push_subscription(
    complaint: CitizenComplaint,
    session: SessionDep,
    endpoint: Annotated[
        str, Query(min_length=1, max_length=2048, description="Endpoint langganan yang dihapus")
    ],
) -> None:
    """Peramban dengan endpoint ini tidak lagi menerima notifikasi push laporan pengaduan ini."""
    push_subscriptions.unsubscribe(session, complaint, endpoint)
