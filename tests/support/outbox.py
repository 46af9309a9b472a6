"""What a service queued, as the consumer will read it: outbox payloads with the personal data
opened (it travels sealed, see shared.messaging.sealing)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from shared.database.engine import ServiceDatabase
from shared.database.shared_tables import OutboxMessage
from shared.messaging.sealing import unseal

SEALED_FIELDS = ("reporter", "recipient")


def opened(payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` with each sealed field opened; a field in clear fails the test (it must not
    have left the service so)."""
    result = dict(payload)
    for name in SEALED_FIELDS:
        if result.get(name) is not None:  # None: an anonymous complaint, nothing to seal
            assert isinstance(result[name], str), f"{name} left the service in clear"
            result[name] = unseal(result[name])
    return result


def queued_payloads(db: ServiceDatabase, task: str) -> list[dict[str, Any]]:
    """Opened payloads of the outbox rows for ``task``, oldest first."""
    with db.sessions() as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.task_name == task)
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
        return [opened(row.payload) for row in rows]
