"""The inbox: the ids of messages a consumer already acted on, recorded in the same
transaction as the effect, so a message delivered twice (see ``shared.messaging.relay``) acts
once. The table is ``shared.database.shared_tables.ProcessedMessage``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from shared.database.engine import utcnow
from shared.database.shared_tables import ProcessedMessage


def already_processed(session: Session, message_id: str) -> bool:
    return session.get(ProcessedMessage, message_id) is not None


def mark_processed(session: Session, message_id: str, task_name: str) -> None:
    session.add(ProcessedMessage(message_id=message_id, task_name=task_name, processed_at=utcnow()))
