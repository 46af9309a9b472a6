"""The citizens' portal, tracking: the form that takes the tracking code and the access token,
the complaint's page, and its live events. The token is checked once, by the API's own
``find_for_citizen``; from then on the access cookie (``tracking_access``) stands for it, so
the token never appears in an address.

The page shows the case's events and the officers' own words (a request for information and
its reason, a decline with its reason and the body to turn to, the answer), each a short line
of the timeline; a notice that reached none of the complainant's channels, with what to do;
the complainant's own attachments (each a download, a photo with its thumbnail, opened by the
access cookie as the page is); and the reply form, with its files, while the office waits for
the complainant. The automatic notices
themselves are not pasted in: an email's text (hard wraps, "mohon tidak membalas", a link to
this very page) says again what the page already says. For a complainant who chose the app
channel, the page lists its notices one line each (title and time): the page is where that
channel arrives, so they see it arrived, while the full text stays the app's, through
``GET /api/v1/complaints/{code}/messages``."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sse_starlette import EventSourceResponse
from starlette.background import BackgroundTask

from services.intake.api.dependencies import NO_STORE, SessionDep
from services.intake.api.personal_data import copy_download
from services.intake.app_channel import inbox
from services.intake.app_channel.event_stream import (
    KEEPALIVE_SECONDS,
    STREAMS,
    complaint_events,
    parse_last_event_id,
)
from services.intake.catalogue import copy as catalogue
from services.intake.filing import attachments, complaints
from services.intake.filing.schemas import status_label
from services.intake.models import Complaint
from services.intake.portal.after_answer import after_answer_context, timeline_lines
from services.intake.portal.filing_pages import FormDep, limited_page, render
from services.intake.portal.forms import UNREADABLE_MESSAGE, judge_reply
from services.intake.portal.uploads import choose_again, judge_files
from services.intake.tracking import access as tracking_access
from services.intake.tracking.codes import CODE_PATTERN, normalise_tracking_code
from services.intake.tracking.notices import channel_words, undelivered
from shared.messaging.contracts import Channel
from shared.sop import INFORMATION_SUPPLIED, PATHS, reply_reader_label
from shared.web.domain_errors import Conflict, NotFound, Unauthorized
from shared.web.downloads import file_response

router = APIRouter(include_in_schema=False)
REPLY_SENT = "terkirim"
NO_ACCESS_MESSAGE = (
    "Buka halaman lacak laporan dan masukkan kode pelacakan serta token akses terlebih dahulu"
)
_SEE_OTHER = 303


def note_leads() -> dict[str, str]:
    """Whose words a timeline note is, by the status it came with: the officer's request or
    reason (from the SOP's paths), or the complainant's own reply."""
    leads = {
        p.status: "Permintaan petugas" if p.waits_for_complainant else "Alasan"
        for p in PATHS
        if p.status
    }
    return {**leads, INFORMATION_SUPPLIED: "Balasan Anda"}


NOTE_LEADS = note_leads()


def _sentence_case(words: str) -> str:
    return words[:1].upper() + words[1:]  # not str.capitalize(): "SMS" stays "SMS"


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=_SEE_OTHER, headers=NO_STORE)


def to_tracking_form(tracking_code: str) -> RedirectResponse:
    return see_other(f"/lacak?{urlencode({'kode': tracking_code})}" if tracking_code else "/lacak")


def _tracking_form(
    request: Request,
    values: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {"section": "lacak", "values": values, "errors": errors or {}, "problem": problem}
    return render(request, "track_form.html", context, status_code=status_code)


@router.get("/lacak", response_class=HTMLResponse)
def tracking_form(
    request: Request, kode: Annotated[str, Query(max_length=64)] = ""
) -> HTMLResponse:
    return _tracking_form(request, {"kode": kode})


@router.post("/lacak", response_class=HTMLResponse)
def open_tracking(request: Request, form: FormDep, session: SessionDep) -> Response:
    if (limited := limited_page(request, "tracking", "/lacak")) is not None:
        return limited
    code, token = form.get("kode").strip(), form.get("token").strip()
    values = {"kode": code}  # never the token: it is not sent back
    if not form.readable:
        return _tracking_form(request, {}, errors={"kode": UNREADABLE_MESSAGE}, status_code=422)
    errors = {
        name: f"{label} wajib diisi"
        for name, label, value in (
            ("kode", "Kode pelacakan", code),
            ("token", "Token akses", token),
        )
        if not value
    }
    if errors:
        return _tracking_form(request, values, errors=errors, status_code=422)
    try:
        complaint = complaints.find_for_citizen(session, code, token)
    except NotFound as exc:  # one answer for an unknown code and a wrong token
        return _tracking_form(request, values, problem=exc.message, status_code=404)
    response = see_other(f"/lacak/{complaint.tracking_code}")
    tracking_access.grant(response, complaint)
    return response


def complaint_view(
    request: Request,
    session: SessionDep,
    complaint: Complaint,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    timeline = complaints.timeline(session, complaint)
    waiting = complaints.WAITING_PATHS.get(complaint.status)
    request_note = next(
        (e.note for e in reversed(timeline) if waiting and e.status == waiting.status), None
    )
    return render(
        request,
        "track.html",
        {
            "section": "lacak",
            "complaint": complaint,
            "status_label": status_label(complaint.status),
            "reply_reader": reply_reader_label(),
            "timeline": timeline_lines(timeline, complaint, NOTE_LEADS),
            "channels": _sentence_case(channel_words(complaint.channels)),
            "service_name": catalogue.service_name(session, complaint.service_code),
            "app_channel": Channel.APP.value in complaint.channels,
            "notices": inbox.messages_after(session, complaint.id),
            "attachments": attachments.attachments_of(session, complaint),
            "undelivered": undelivered(session, complaint),
            "waiting": waiting is not None,
            "reply_due_at": complaint.reply_due_at if waiting is not None else None,
            "request_note": request_note,
            "reply_sent": False,
            "rated": False,
            "survey_sent": False,
            "reopen_sent": False,
            "erasure_sent": False,
            "problem": None,
            "problem_title": "Balasan tidak dapat dikirim",
            **after_answer_context(session, complaint),
            **context,
        },
        status_code=status_code,
    )


@router.get("/lacak/{kode}", response_class=HTMLResponse)
def complaint_page(
    request: Request,
    kode: str,
    session: SessionDep,
    balasan: Annotated[str, Query(max_length=16)] = "",
    penilaian: Annotated[str, Query(max_length=16)] = "",
    survei: Annotated[str, Query(max_length=16)] = "",
    dibuka: Annotated[str, Query(max_length=16)] = "",
    hapus: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    code = normalise_tracking_code(kode)
    if code != kode and CODE_PATTERN.fullmatch(code):
        return see_other(f"/lacak/{code}")
    complaint = tracking_access.complaint_for(session, request, code)
    if complaint is None:
        return to_tracking_form(code if CODE_PATTERN.fullmatch(code) else "")
    return complaint_view(
        request,
        session,
        complaint,
        reply_sent=balasan == REPLY_SENT,
        rated=penilaian == REPLY_SENT,
        survey_sent=survei == REPLY_SENT,
        reopen_sent=dibuka == REPLY_SENT,
        erasure_sent=hapus == REPLY_SENT,
    )


@router.post("/lacak/{kode}/balasan", response_class=HTMLResponse)
def reply_from_form(request: Request, kode: str, form: FormDep, session: SessionDep) -> Response:
    complaint = tracking_access.complaint_for(session, request, kode)
    if complaint is None:
        return to_tracking_form(kode if CODE_PATTERN.fullmatch(kode) else "")
    judged = judge_reply(form)
    files, file_errors = judge_files(form)
    if judged.model is None or file_errors:
        values = {"message": form.get("message")}
        errors = choose_again(form, {**judged.errors, **file_errors})
        return complaint_view(
            request, session, complaint, errors=errors, values=values, status_code=422
        )
    try:
        # The files first: while the request is open, and before the reply closes it.
        if complaint.status in complaints.WAITING_PATHS:
            attachments.attach_all(session, complaint, files)
        complaints.submit_reply(session, complaint, judged.model.message)
    except Conflict as exc:
        return complaint_view(request, session, complaint, problem=exc.message, status_code=409)
    return see_other(f"/lacak/{complaint.tracking_code}?{urlencode({'balasan': REPLY_SENT})}")


@router.get("/lacak/{kode}/lampiran/{attachment_id}")
def attachment_download(
    request: Request, kode: str, attachment_id: str, session: SessionDep
) -> Response:
    """One of the complainant's own attachments, opened by the access cookie."""
    return _attachment_file(request, kode, attachment_id, session, thumbnail=False)


@router.get("/lacak/{kode}/lampiran/{attachment_id}/kecil")
def attachment_thumbnail(
    request: Request, kode: str, attachment_id: str, session: SessionDep
) -> Response:
    """A photo attachment's thumbnail, for the tracking page's list."""
    return _attachment_file(request, kode, attachment_id, session, thumbnail=True)


def _attachment_file(
    request: Request, kode: str, attachment_id: str, session: SessionDep, *, thumbnail: bool
) -> Response:
    complaint = tracking_access.complaint_for(session, request, kode)
    if complaint is None:  # as for a missing file: no hint that the code exists
        raise NotFound(attachments.NOT_FOUND_MESSAGE)
    attachment = attachments.attachment_of(session, complaint, attachment_id)
    data, media_type, name = attachments.content(attachment, thumbnail=thumbnail)
    return file_response(data, media_type, name)  # never cached: private, no-store


@router.get("/lacak/{kode}/data")
def personal_data_download(request: Request, kode: str, session: SessionDep) -> Response:
    """The complainant's copy of their data (as ``GET /api/v1/complaints/{code}/data``), opened
    by the access cookie as the page is; without it, the same 404 as for an unknown code."""
    complaint = tracking_access.complaint_for(session, request, kode)
    if complaint is None:
        raise NotFound(complaints.NOT_FOUND_MESSAGE)
    return copy_download(session, complaint)


@router.get("/lacak/{kode}/events")
def complaint_events_stream(
    request: Request,
    kode: str,
    session: SessionDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> EventSourceResponse:
    """The API's live stream, opened by the access cookie (an EventSource sends no headers)."""
    complaint = tracking_access.complaint_for(session, request, kode)
    if complaint is None:
        raise Unauthorized(NO_ACCESS_MESSAGE)
    slot = STREAMS.take(complaint.id)  # 429 beyond the limit, shared with the API's streams
    return EventSourceResponse(
        complaint_events(
            complaint.id, complaint.tracking_code, parse_last_event_id(last_event_id), slot
        ),
        ping=KEEPALIVE_SECONDS,
        background=BackgroundTask(slot.give_back),
    )
