"""One-time access links: the way back in for a complainant who lost their access token.

Asked for (``request_link``) through the API or the portal's "lupa token?" form: the request
only queues the tracking code, for every well-formed code alike, so its answer, and the work
done before answering, are the same whether the code exists, has a contact, or neither. Intake's
worker then finds out (``issue``): for a complaint with an email or a phone it draws a link
token, keeps only its hash, marks older unused links of that complaint superseded (a new request
replaces them: only the latest link works), and asks the notifier to send it to that contact.

The link's token travels sealed (``shared.messaging.contracts.SealedLink``): a token that opens
a complaint is as much a secret as the complainant's address, and a task's arguments sit in
Redis, Flower's task view and dead letters. Sealing was chosen over sending only an id that the
notifier would turn into a link with a key of its own: that key would have to be the secret the
services share anyway, so an id would protect nothing more, and a sealed token survives a
rotation of the secret (the seal opens under the previous one) where a derived one would break.

Used (``redeem``) from the portal's page: one conditional UPDATE takes the link, only while it
is unused, unexpired and not superseded, so of two uses racing only one finds the row (on
PostgreSQL the second waits for the first's row lock and re-reads it used; SQLite writes one
at a time). The complaint then gets a new access token; the old one, and every tracking cookie
made with it (``tracking.access``), stop working at once.

Plain functions taking a ``Session``: they flush, the request or the task commits.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.intake.models import AccessLink, Complaint
from services.intake.tracking.codes import (
    CODE_PATTERN,
    hash_access_token,
    new_access_token,
    normalise_tracking_code,
)
from shared.database.engine import utcnow
from shared.messaging.contracts import (
    INTAKE_ACCESS_LINK_TASK,
    NOTIFY_TASK,
    AccessLinkRequestedV1,
    Channel,
    NotificationKind,
    NotificationRequestedV1,
    OneTimeLink,
    Reporter,
)
from shared.messaging.outbox import enqueue, enqueue_once
from shared.runtime.settings import get_settings

log = logging.getLogger(__name__)

# The notification's id is derived from the request's: a rerun of the request sends one link.
NOTIFICATION_NAMESPACE = uuid.UUID("3c8e5b71-94d2-4f6a-b0e3-6d1f2a9c7e58")
# A complaint filed without a name (anonymous complaints have no contact, so never get here).
UNNAMED = "Pengadu"
MAX_TOKEN_LENGTH = 128


def neutral_message() -> str:
    """The one answer to every request, whatever the code: it must not tell a guesser whether
    the code exists or has a contact."""
    minutes = get_settings().limits.access_link_minutes
    return (
        "Permintaan Anda telah kami terima. Bila kode pelacakan tersebut terdaftar dan laporan "
        "pengaduannya mencantumkan email atau nomor HP, tautan untuk membuat token akses baru "
        f"kami kirimkan ke sana (ke email bila ada, bila tidak ke nomor HP). Tautan itu berlaku "
        f"{minutes} menit dan hanya dapat dipakai sekali; tautan yang diminta sebelumnya tidak "
        "berlaku lagi."
    )


def limit_key(typed_code: str) -> str:
    """What the per-code limit counts: the code as it reads (so ``pgd 7kq2 m9xd`` and
    ``PGD-7KQ2-M9XD`` share a count), or a digest of anything else (never a caller's raw text
    in a Redis key)."""
    code = normalise_tracking_code(typed_code)
    if CODE_PATTERN.fullmatch(code):
        return code
    return "malformed-" + hashlib.sha256(typed_code.encode(errors="replace")).hexdigest()[:32]


def request_link(session: Session, typed_code: str) -> None:
    """Queue the request for intake's worker. A malformed code is not queued: the code's format
    is public, so skipping it tells a caller only what they could see for themselves."""
    code = normalise_tracking_code(typed_code)
    if CODE_PATTERN.fullmatch(code):
        enqueue(session, INTAKE_ACCESS_LINK_TASK, AccessLinkRequestedV1(tracking_code=code))
        session.flush()


def issue(
    session: Session, msg: AccessLinkRequestedV1, *, now: datetime | None = None
) -> OneTimeLink | None:
    """Draw a link for the complaint of ``msg`` and have it sent to its contact; None (and
    nothing sent) for an unknown code or a complaint with neither email nor phone."""
    complaint = session.scalar(
        select(Complaint).where(Complaint.tracking_code == msg.tracking_code)
    )
    if complaint is None:
        log.info("access link asked for unknown code %s: nothing sent", msg.tracking_code)
        return None
    recipient = _recipient(complaint)
    if recipient is None:
        log.info("access link asked for %s, which has no contact: nothing sent", msg.tracking_code)
        return None
    now = now or utcnow()
    supersede_unused(session, complaint, now)
    token = new_access_token()
    link = OneTimeLink(
        token=token,
        expires_at=now + timedelta(minutes=get_settings().limits.access_link_minutes),
    )
    session.add(
        AccessLink(
            id=str(uuid.uuid4()),
            complaint_id=complaint.id,
            token_hash=hash_access_token(token),
            created_at=now,
            expires_at=link.expires_at,
        )
    )
    channel = Channel.EMAIL if recipient.email else Channel.SMS
    notification = NotificationRequestedV1(
        message_id=uuid.uuid5(NOTIFICATION_NAMESPACE, str(msg.message_id)),
        kind=NotificationKind.ACCESS_LINK,
        tracking_code=complaint.tracking_code,
        recipient=recipient,
        channels=(channel,),
        subject=complaint.subject,
        access_link=link,
    )
    enqueue_once(session, NOTIFY_TASK, notification)
    session.flush()
    log.info("access link for %s sent by %s", complaint.tracking_code, channel)
    return link


def _recipient(complaint: Complaint) -> Reporter | None:
    """The one contact the link goes to: the email if given, else the phone."""
    name = complaint.reporter_name or UNNAMED
    if complaint.reporter_email:
        return Reporter(name=name, email=complaint.reporter_email)
    if complaint.reporter_phone:
        return Reporter(name=name, phone=complaint.reporter_phone)
    return None


def supersede_unused(session: Session, complaint: Complaint, now: datetime) -> None:
    """Older links of ``complaint`` not yet used stop working: only the latest one sent does."""
    session.execute(
        update(AccessLink)
        .where(
            AccessLink.complaint_id == complaint.id,
            AccessLink.used_at.is_(None),
            AccessLink.superseded_at.is_(None),
        )
        .values(superseded_at=now)
        .execution_options(synchronize_session=False)
    )


class LinkState(StrEnum):
    USABLE = "usable"
    USED = "used"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Looked:
    """What a link's token is worth now, and (while usable) the complaint it opens."""

    state: LinkState
    complaint: Complaint | None = None


def inspect(session: Session, token: str, *, now: datetime | None = None) -> Looked:
    """The link's state, without using it: the page a mail scanner's prefetch opens must leave
    the link usable for the person."""
    now = now or utcnow()
    link = _by_token(session, token)
    if link is None:
        return Looked(LinkState.UNKNOWN)
    if link.used_at is not None:
        return Looked(LinkState.USED)
    if link.superseded_at is not None:
        return Looked(LinkState.SUPERSEDED)
    if link.expires_at <= now:
        return Looked(LinkState.EXPIRED)
    return Looked(LinkState.USABLE, session.get(Complaint, link.complaint_id))


class LinkUnusable(Exception):
    """The link was used, expired, was superseded, or never existed."""

    def __init__(self, state: LinkState) -> None:
        super().__init__(state.value)
        self.state = state


def redeem(session: Session, token: str, *, now: datetime | None = None) -> tuple[Complaint, str]:
    """Use the link, once: the complaint gets a new access token (returned, shown once and kept
    nowhere but as its hash), and the old token stops working. ``LinkUnusable`` otherwise."""
    now = now or utcnow()
    digest = _digest(token)
    taken = session.execute(
        update(AccessLink)
        .where(
            AccessLink.token_hash == digest,
            AccessLink.used_at.is_(None),
            AccessLink.superseded_at.is_(None),
            AccessLink.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise LinkUnusable(inspect(session, token, now=now).state)
    link = _by_token(session, token)
    complaint = session.get(Complaint, link.complaint_id) if link is not None else None
    if complaint is None:  # the row just taken: only a broken database gets here
        raise LinkUnusable(LinkState.UNKNOWN)
    new_token = new_access_token()
    complaint.access_token_hash = hash_access_token(new_token)
    session.flush()
    log.info("access token of %s replaced through a one-time link", complaint.tracking_code)
    return complaint, new_token


def _digest(token: str) -> str:
    # A token of another shape never matches; hashing it anyway keeps every lookup alike.
    return hash_access_token(token[:MAX_TOKEN_LENGTH])


def _by_token(session: Session, token: str) -> AccessLink | None:
    return session.scalar(select(AccessLink).where(AccessLink.token_hash == _digest(token)))
