"""Delivering a notification to the complainant: a fan-out that stores it with one delivery record
per channel, and the per-channel delivery, each in its own transaction. Plain functions taking a
``Session``: they flush, the caller's transaction commits.

One transaction per channel so that channels fail and retry independently: an SMS gateway that
is down must neither hold back the email nor, on its retry, send the email again. The first try
of each channel is the fan-out task's own (``first_try``); a channel's task only retries.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.notifier.channels.registry import REFUSALS, ROUTES, ChannelRoute
from services.notifier.delivery.fallback import after_failure
from services.notifier.delivery.jobs import channel_job, routed_channels
from services.notifier.delivery.reports import FINAL, tell_workflow
from services.notifier.delivery.undeliverable import tell_intake_delivered_after_all
from services.notifier.messages import check_complete
from services.notifier.models import (
    AttemptOutcome,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Notification,
)
from shared.database.engine import utcnow
from shared.messaging.contracts import (
    INTAKE_ANSWERED_TASK,
    Channel,
    ChannelDeliveryV1,
    ComplaintAnsweredV1,
    NotificationKind,
    NotificationRequestedV1,
    Reporter,
    ResendRequestedV1,
)
from shared.messaging.outbox import enqueue, enqueue_once
from shared.runtime.log_context import annotate

log = logging.getLogger(__name__)

# Messages derived from a notification get ids derived from the notification's (uuid5): a rerun
# for the same notification finds the outbox row and adds none.
ANSWERED_NAMESPACE = uuid.UUID("5f0c3c1e-7b52-4d8e-9a51-3f1f2a7c9d10")


def fan_out(session: Session, msg: NotificationRequestedV1) -> list[Channel]:
    """Store ``msg`` with a pending delivery record for each channel that has a route (their
    first tries follow, each in a transaction of its own: ``first_try``); hand the app channel's
    message and an answer to intake here, so the tracking page shows them even while email and
    SMS are down. Every effect is keyed by the notification's id: a rerun adds nothing.
    Returns the channels left for the first tries."""
    check_complete(msg)
    if session.get(Notification, str(msg.message_id)) is None:
        session.add(
            Notification(
                message_id=str(msg.message_id),
                kind=msg.kind.value,
                tracking_code=msg.tracking_code,
                recipient=msg.recipient.model_dump(mode="json") if msg.recipient else None,
                channels=[c.value for c in msg.channels],
                subject=msg.subject,
                answer=msg.answer,
                note=msg.note,
                reply_due_at=stored_deadline(msg),
                access_link=msg.model_dump(mode="json", include={"access_link"})["access_link"],
                created_at=utcnow(),
            )
        )
        session.flush()
    channels = routed_channels(msg)
    for channel in channels:
        if channel is not Channel.APP and find_delivery(session, msg.message_id, channel) is None:
            pending = _new_delivery(msg.message_id, msg.kind.value, msg.tracking_code, channel)
            pending.status = DeliveryStatus.PENDING
            session.add(pending)
    if msg.kind is NotificationKind.ANSWER:
        tell_intake_answered(session, msg, answered_at=utcnow())
    if Channel.APP in channels:
        # An outbox row in this very transaction (``_send_to_inbox``): no try of its own needed.
        report_outcome(session, msg, deliver_on(session, msg, Channel.APP, ROUTES[Channel.APP]))
    session.flush()
    return [c for c in channels if c is not Channel.APP]


def untried_channels(session: Session, notification_id: uuid.UUID) -> list[Channel]:
    """The notification's chosen channels whose first try has not been made (or did not
    commit): their record is still pending. A channel retrying has its task; a fallback too."""
    return [
        Channel(channel)
        for channel in session.scalars(
            select(Delivery.channel)
            .where(
                Delivery.message_id == str(notification_id),
                Delivery.status == DeliveryStatus.PENDING,
                Delivery.fallback.is_(False),
            )
            .order_by(Delivery.id)
        )
    ]


class UnknownNotification(LookupError):
    """A channel delivery for a notification this database does not hold: no retry helps."""


def stored_deadline(msg: NotificationRequestedV1) -> datetime | None:
    """The one deadline a notice names, as ``Notification.reply_due_at`` keeps it: a request's
    reply deadline, or, with an answer, until when it may be rated and asked to be reopened."""
    return msg.reopen_until if msg.kind is NotificationKind.ANSWER else msg.reply_due_at


def load_notification(session: Session, notification_id: uuid.UUID) -> NotificationRequestedV1:
    """The stored notification, as the message it came in (same id, so same keys and headers)."""
    row = session.get(Notification, str(notification_id))
    if row is None:
        raise UnknownNotification(f"no notification {notification_id}")
    annotate(tracking_code=row.tracking_code)
    answer_kind = row.kind == NotificationKind.ANSWER.value
    return NotificationRequestedV1(
        message_id=uuid.UUID(row.message_id),
        occurred_at=row.created_at,
        kind=NotificationKind(row.kind),
        tracking_code=row.tracking_code,
        recipient=Reporter.model_validate(row.recipient) if row.recipient is not None else None,
        channels=tuple(Channel(c) for c in row.channels),
        subject=row.subject,
        answer=row.answer,
        note=row.note,
        reply_due_at=None if answer_kind else row.reply_due_at,
        reopen_until=row.reply_due_at if answer_kind else None,
        access_link=row.access_link,  # sealed: opened by the contract's validator
    )


def deliver_channel(session: Session, job: ChannelDeliveryV1) -> Delivery:
    """Deliver one notification on one channel and put the outcome on the case's record.

    Transient failures propagate so the channel's task retries; the transaction then rolls back
    this channel's record and outbox rows only, and ``record_retry`` notes the try afterwards.
    """
    msg = load_notification(session, job.notification_id)
    delivery = deliver_on(session, msg, job.channel, ROUTES[job.channel])
    report_outcome(session, msg, delivery)
    return delivery


def report_outcome(session: Session, msg: NotificationRequestedV1, delivery: Delivery) -> None:
    """A final outcome goes on the case's record; a failure that leaves no channel of the notice
    delivered sends it on the complainant's other contacts (``fallback``), and when those fail
    too, goes to the complainant's tracking page; so does a re-send that mends it."""
    tell_workflow(session, msg, delivery)
    if delivery.status == DeliveryStatus.FAILED:
        after_failure(session, msg)
    else:
        tell_intake_delivered_after_all(session, msg, delivery)


def deliver_on(
    session: Session, msg: NotificationRequestedV1, channel: Channel, route: ChannelRoute
) -> Delivery:
    """Send ``msg`` on ``channel`` unless the record says it was sent, and record the outcome."""
    delivery = find_delivery(session, msg.message_id, channel)
    if delivery is not None and delivery.status in FINAL:
        # Sent, or failed for good: only an operator's re-send (``resend``) tries again.
        log.info(
            "%s on %s for %s already %s", msg.kind, channel, msg.tracking_code, delivery.status
        )
        return delivery
    address = route.address(msg.recipient, msg.tracking_code)
    claimed = claim_delivery(session, msg, channel, address=address, delivery=delivery)
    if claimed is None:  # another copy of this message finished it while this one waited
        assert delivery is not None  # noqa: S101 - only an existing record can be taken first
        session.refresh(delivery)
        log.info("%s on %s for %s finished by another copy", msg.kind, channel, msg.tracking_code)
        return delivery
    delivery = claimed
    if address is None:
        return _record_failure(session, delivery, route.missing_address)
    try:
        reference = route.send(session, msg, address)
    except REFUSALS as exc:
        return _record_failure(session, delivery, str(exc))
    delivery.status = DeliveryStatus.SENT
    delivery.detail = None
    delivery.gateway_reference = reference
    delivery.sent_at = utcnow()
    _note_attempt(session, delivery, AttemptOutcome.SENT, reference and f"referensi {reference}")
    session.flush()
    log.info("%s on %s for %s sent", msg.kind, channel, msg.tracking_code)
    return delivery


def claim_delivery(
    session: Session,
    msg: NotificationRequestedV1,
    channel: Channel,
    *,
    address: str | None,
    delivery: Delivery | None,
) -> Delivery | None:
    """Write the record before sending: UNIQUE(message_id, channel) makes a concurrent delivery
    of the same message wait for this transaction and then fail, instead of sending as well.

    An existing record (a retry, a redelivery, the outbox's second copy) is taken with one
    conditional UPDATE, only while it is not final: on PostgreSQL a concurrent copy waits for
    this transaction's row lock and then finds it sent. ``None``: another copy finished it."""
    if delivery is None:
        delivery = _new_delivery(msg.message_id, msg.kind.value, msg.tracking_code, channel)
        session.add(delivery)
        delivery.recipient = address
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts += 1
        session.flush()
        return delivery
    taken = session.execute(
        update(Delivery)
        .where(Delivery.id == delivery.id, Delivery.status.not_in(FINAL))
        .values(recipient=address, status=DeliveryStatus.SENDING, attempts=Delivery.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    session.refresh(delivery)
    return delivery


def _new_delivery(
    notification_id: uuid.UUID, kind: str, tracking_code: str, channel: Channel
) -> Delivery:
    return Delivery(
        message_id=str(notification_id),
        kind=kind,
        tracking_code=tracking_code,
        channel=channel.value,
        attempts=0,
        resends=0,
        created_at=utcnow(),
    )


def _note_attempt(
    session: Session, delivery: Delivery, outcome: AttemptOutcome, detail: str | None
) -> None:
    session.add(
        DeliveryAttempt(
            notification_id=delivery.message_id,
            channel=delivery.channel,
            attempt=delivery.attempts,
            outcome=outcome.value,
            detail=detail[:2000] if detail else None,
            occurred_at=utcnow(),
        )
    )


def _record_failure(session: Session, delivery: Delivery, detail: str) -> Delivery:
    delivery.status = DeliveryStatus.FAILED
    delivery.detail = detail
    _note_attempt(session, delivery, AttemptOutcome.FAILED, detail)
    session.flush()
    log.warning(
        "%s on %s for %s failed for good: %s",
        delivery.kind,
        delivery.channel,
        delivery.tracking_code,
        detail,
    )
    return delivery


def record_retry(session: Session, job: ChannelDeliveryV1, error: BaseException) -> None:
    """Note a try that failed for a passing reason. Runs after the try's own transaction rolled
    back (Celery's ``on_retry``), so the delivery shows "retrying" and the try is kept."""
    _record_unsent(session, job, error, DeliveryStatus.RETRYING)


def retry_later(session: Session, job: ChannelDeliveryV1, error: BaseException) -> None:
    """A first try failed for a passing reason (its transaction rolled back): note the try, as
    ``record_retry`` does, and hand the channel to its task, which retries it with backoff."""
    if _record_unsent(session, job, error, DeliveryStatus.RETRYING) is not None:
        enqueue_once(session, ROUTES[job.channel].task, job)


def record_given_up(session: Session, job: ChannelDeliveryV1, error: BaseException) -> None:
    """The channel's task used up its retries: the delivery failed for good, and the case's
    record and the operators' list of failed deliveries hear of it (an operator may re-send),
    and the complainant's tracking page if no other channel got through."""
    delivery = _record_unsent(session, job, error, DeliveryStatus.FAILED)
    if delivery is not None:
        report_outcome(session, load_notification(session, job.notification_id), delivery)


def _record_unsent(
    session: Session, job: ChannelDeliveryV1, error: BaseException, status: DeliveryStatus
) -> Delivery | None:
    row = session.get(Notification, str(job.notification_id))
    if row is None:
        return None
    delivery = find_delivery(session, job.notification_id, job.channel)
    if delivery is None:
        delivery = _new_delivery(job.notification_id, row.kind, row.tracking_code, job.channel)
        session.add(delivery)
    elif delivery.status in FINAL:
        return None  # a concurrent delivery of the same job settled it
    delivery.status = status
    delivery.detail = str(error)[:2000]
    delivery.attempts += 1
    outcome = AttemptOutcome.FAILED if status is DeliveryStatus.FAILED else AttemptOutcome.RETRYING
    _note_attempt(session, delivery, outcome, delivery.detail)
    session.flush()
    log.warning(
        "%s on %s for %s: try %s failed (%s): %s",
        row.kind,
        job.channel,
        row.tracking_code,
        delivery.attempts,
        status,
        error,
    )
    return delivery


class NothingToResend(Exception):
    """The delivery is not failed (sent, or still being tried): a re-send would be a second
    message, or a duplicate of the retries under way."""


def resend(session: Session, request: ResendRequestedV1) -> Delivery:
    """An operator asked to try a failed delivery again: queue its channel's task anew."""
    delivery = find_delivery(session, request.notification_id, request.channel)
    if delivery is None or delivery.status != DeliveryStatus.FAILED:
        state = delivery.status if delivery else "unknown"
        raise NothingToResend(f"{request.notification_id} on {request.channel} is {state}")
    delivery.resends += 1
    delivery.status = DeliveryStatus.RETRYING
    delivery.detail = f"dikirim ulang atas permintaan {request.requested_by}"
    job = channel_job(request.notification_id, request.channel, delivery.resends)
    enqueue(session, ROUTES[request.channel].task, job)
    session.flush()
    log.info(
        "%s on %s for %s: re-send %s asked by %s",
        delivery.kind,
        delivery.channel,
        delivery.tracking_code,
        delivery.resends,
        request.requested_by,
    )
    return delivery


def tell_intake_answered(
    session: Session, msg: NotificationRequestedV1, *, answered_at: datetime
) -> ComplaintAnsweredV1:
    """Hand the answer to intake (through the outbox), so the tracking page shows it; once per
    notification, however often this runs for it."""
    answered = ComplaintAnsweredV1(
        message_id=uuid.uuid5(ANSWERED_NAMESPACE, str(msg.message_id)),
        tracking_code=msg.tracking_code,
        answer=msg.answer or "",  # never empty: fan_out() checked it
        answered_at=answered_at,
        reopen_until=msg.reopen_until,
    )
    enqueue_once(session, INTAKE_ANSWERED_TASK, answered)
    return answered


def find_delivery(session: Session, message_id: uuid.UUID, channel: Channel) -> Delivery | None:
    return session.scalar(
        select(Delivery).where(
            Delivery.message_id == str(message_id), Delivery.channel == channel.value
        )
    )
