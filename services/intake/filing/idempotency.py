"""``Idempotency-Key`` on filing: a client that did not hear the answer (a dropped connection, a
timeout) sends the same request again with the same key and gets the first answer back, with
the same tracking code and access token, instead of filing a second complaint.

The first answer holds the access token, which is otherwise stored only as a hash. It is kept
encrypted (Fernet, under a key derived from the service's secret) and only for ``RETENTION``:
long enough for any retry, short enough that the database holds no usable token for long. After
that the key may be used again (it then files a new complaint).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated

from cryptography.fernet import Fernet, InvalidToken
from fastapi import Depends, Header
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.intake.catalogue import copy as catalogue
from services.intake.filing import complaints
from services.intake.filing.complaints import TakenBy
from services.intake.filing.schemas import FiledOut
from services.intake.models import Complaint, FilingKey
from shared.database.engine import utcnow
from shared.messaging.contracts import FiledVia, Identity
from shared.messaging.contracts.filing import ComplaintIn
from shared.runtime.settings import get_settings
from shared.web.domain_errors import Conflict, InvalidInput, TooManyRequests

HEADER = "Idempotency-Key"
MAX_LENGTH = 100
RETENTION = timedelta(hours=24)
_PRINTABLE_ASCII = re.compile(rf"[\x20-\x7e]{{1,{MAX_LENGTH}}}")

INVALID_KEY_MESSAGE = (
    f"Header {HEADER} harus berisi 1 sampai {MAX_LENGTH} karakter ASCII yang dapat dicetak"
)
OTHER_BODY_MESSAGE = (
    f"{HEADER} ini sudah dipakai untuk laporan pengaduan dengan isi yang berbeda. Gunakan "
    f"{HEADER} baru untuk laporan pengaduan yang berbeda."
)
IN_PROGRESS_MESSAGE = (
    f"Permintaan dengan {HEADER} ini sedang diproses. Coba lagi sebentar untuk menerima jawabannya."
)
LOST_MESSAGE = (
    f"Jawaban untuk {HEADER} ini tidak dapat ditampilkan lagi. Laporan pengaduan Anda sudah "
    "diterima; hubungi kantor bila kode pelacakan dan token aksesnya tidak tersimpan."
)


class KeyReused(Conflict):
    code = "idempotency_key_reused"


class KeyInUse(TooManyRequests):
    """The first request with this key is still being filed."""

    status_code = 409
    code = "idempotency_key_in_use"


async def idempotency_key(
    key: Annotated[
        str | None,
        Header(
            alias=HEADER,
            description="Opsional: kunci unik (1 sampai 100 karakter ASCII) agar pengiriman ulang "
            "permintaan yang sama tidak membuat laporan pengaduan kedua; pengiriman ulang "
            "dengan kunci yang sama dalam 24 jam menerima jawaban pertama.",
            json_schema_extra={"minLength": 1, "maxLength": MAX_LENGTH},
        ),
    ] = None,
) -> str | None:
    # Checked here rather than by FastAPI, to say in words what a key may be. Async as it does
    # no I/O: FastAPI would run a sync one in a thread-pool hop of its own.
    if key is not None and not is_valid_key(key):
        raise InvalidInput(INVALID_KEY_MESSAGE)
    return key


IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]


def request_hash(body: ComplaintIn) -> str:
    """The request as validated: spacing or key order in the JSON make no other request."""
    return hashlib.sha256(body.model_dump_json().encode()).hexdigest()


def file_once(
    session: Session,
    body: ComplaintIn,
    key: str | None,
    taken: TakenBy | None = None,
    then: Callable[[Complaint], None] | None = None,
    via: FiledVia = FiledVia.API,
) -> FiledOut:
    """File ``body``; with a ``key`` that filed it already, the first answer again instead.
    ``then`` runs on the complaint just filed, in the same transaction (the portal's form
    attaches its files there); a retry, which files nothing, does not run it again."""
    claimed = claim(session, key, body) if key is not None else None
    if isinstance(claimed, FiledOut):
        return claimed  # a retry: the first answer again, and no second complaint
    # The catalogue's copy names the service, and has not withdrawn it: 422 otherwise, and the
    # request's rollback takes the key's claim back with it.
    catalogue.ensure_may_name(session, body.service_code)
    complaint, token = complaints.file_complaint(session, body, taken, via)
    if then is not None:
        then(complaint)
    answer = FiledOut(
        tracking_code=complaint.tracking_code,
        access_token=token,
        status=complaint.status,
        message=complaints.filed_message(complaint.identity),
        identity=Identity(complaint.identity),
        access_warning=complaints.ANONYMOUS_ONLY_WAY_BACK
        if complaint.identity == Identity.ANONYMOUS
        else None,
        received_via=complaint.received_via,
        taken_by=complaint.taken_by,
        filed_at=complaint.created_at,
    )
    if claimed is not None:
        remember(claimed, complaint.id, answer)
    return answer


def is_valid_key(key: str) -> bool:
    return _PRINTABLE_ASCII.fullmatch(key) is not None


def claim(session: Session, key: str, body: ComplaintIn) -> FilingKey | FiledOut:
    """The answer given to this key before, or else the key taken for this filing (in the
    caller's transaction, to be completed with ``remember``). A key used for another body is
    refused; expired keys are dropped."""
    now = utcnow()
    body_hash = request_hash(body)
    earlier = session.get(FilingKey, key)
    if earlier is not None and earlier.created_at >= now - RETENTION:
        return _replayed(earlier, body_hash)
    session.execute(delete(FilingKey).where(FilingKey.created_at < now - RETENTION))
    record = FilingKey(key=key, request_hash=body_hash, created_at=now)
    try:
        # On PostgreSQL the insert waits for a concurrent holder of the key to commit, then
        # fails here; SQLite transactions (BEGIN IMMEDIATE) never overlap in the first place.
        with session.begin_nested():
            session.add(record)
    except IntegrityError:
        winner = session.get(FilingKey, key, populate_existing=True)
        if winner is None:  # the holder rolled back: the client may simply retry
            raise KeyInUse(IN_PROGRESS_MESSAGE, retry_after=1) from None
        return _replayed(winner, body_hash)
    return record


def remember(record: FilingKey, complaint_id: str, answer: FiledOut) -> None:
    record.complaint_id = complaint_id
    record.answer = _fernet().encrypt(answer.model_dump_json().encode()).decode()


def _replayed(record: FilingKey, body_hash: str) -> FiledOut:
    if not hmac.compare_digest(record.request_hash, body_hash):
        raise KeyReused(OTHER_BODY_MESSAGE)
    if record.answer is None:
        raise KeyInUse(IN_PROGRESS_MESSAGE, retry_after=1)
    try:
        plain = _fernet().decrypt(record.answer.encode())
    except InvalidToken:  # the service's secret changed since: the answer cannot be read back
        raise Conflict(LOST_MESSAGE) from None
    return FiledOut.model_validate_json(plain)


def _fernet() -> Fernet:
    # A key of its own, derived from the service's secret (as the CSRF and cookie keys are).
    secret = get_settings().jwt_key().encode()
    derived = hmac.new(secret, b"pengaduan-idempotency", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(derived))
