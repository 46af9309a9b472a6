"""A complaint's messages kept in a service's own database, erased with its personal data
(UU 27/2022; ``shared.messaging.contracts.privacy``): the outbox rows already published and the
failed messages that name its tracking code.

A message's payload is its whole contract (a subject, a description, an answer, the reporter
sealed, which the services' key still opens), so what stays is only which message it was: its
id and the tracking code, beside the marker. An outbox row not yet published is left alone: it
is still to be delivered (the erasure's own messages among them), and carries nothing of the
complainant's (``ComplaintErasedV1`` holds the code only) once nothing else is pending.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from shared.database.shared_tables import FailedMessage, OutboxMessage
from shared.messaging.contracts.privacy import ERASED_MARKER


def erased_payload(payload: Any, tracking_code: str) -> dict[str, Any]:
    """What stays of a payload: which message it was, and that it was erased."""
    message_id = payload.get("message_id") if isinstance(payload, dict) else None
    return {"message_id": message_id, "tracking_code": tracking_code, "erased": ERASED_MARKER}


def erase_messages_of(session: Session, tracking_code: str) -> int:
    """Erase the published outbox rows and the failed messages of ``tracking_code``; the
    caller commits. How many rows were erased (0 on a second run)."""
    names_it = cast(OutboxMessage.payload, Text).contains(tracking_code, autoescape=True)
    erased = 0
    for row in session.scalars(
        select(OutboxMessage).where(OutboxMessage.published_at.is_not(None), names_it)
    ):
        if row.payload != erased_payload(row.payload, tracking_code):
            row.payload = erased_payload(row.payload, tracking_code)
            erased += 1
    failed_names_it = cast(FailedMessage.payload, Text).contains(tracking_code, autoescape=True)
    for failed in session.scalars(select(FailedMessage).where(failed_names_it)):
        if failed.payload != erased_payload(failed.payload, tracking_code):
            failed.payload = erased_payload(failed.payload, tracking_code)
            failed.error = ERASED_MARKER
            erased += 1
    session.flush()
    return erased
