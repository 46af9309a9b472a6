"""Every code the SOP and the contracts define fits the columns that store it (SQLite does not
enforce VARCHAR lengths; PostgreSQL refuses the row, which once failed a notification)."""

from __future__ import annotations

import pytest
from sqlalchemy import Column

from services.intake.models import Complaint, TimelineEntry
from services.notifier.models import Delivery
from services.workflow.models import Case, CaseEvent
from shared.messaging.contracts import Channel, NotificationKind
from shared.sop import STAFF_STATUS_LABELS, STATUS_LABELS, Role

STATUSES = [*STATUS_LABELS, *STAFF_STATUS_LABELS]


def _length(column: Column) -> int:
    return column.type.length  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize(
    ("column", "values"),
    [
        (Complaint.__table__.c.status, STATUSES),
        (TimelineEntry.__table__.c.status, STATUSES),
        (Case.__table__.c.status, STATUSES),
        (CaseEvent.__table__.c.role, [r.value for r in Role]),
        (Delivery.__table__.c.kind, [k.value for k in NotificationKind]),
        (Delivery.__table__.c.channel, [c.value for c in Channel]),
    ],
    ids=lambda v: getattr(v, "key", None) or "",
)
def test_every_code_fits_its_column(column: Column, values: list[str]) -> None:
    too_long = [v for v in values if len(v) > _length(column)]
    assert too_long == [], f"{column} is too short for {too_long}"
