"""Intake's consumers: the workflow's status changes and the notifier's "answer sent".

``shared.consumer`` gives each one transaction and drops a message it already applied; the
logic lives in ``complaints`` as plain functions.
"""

from __future__ import annotations

from services.intake.complaints import apply_answer, apply_status_change
from services.intake.database import get_db
from shared.celery_app import get_celery
from shared.consumer import consumer
from shared.contracts import (
    INTAKE_ANSWERED_TASK,
    INTAKE_STATUS_TASK,
    CaseStatusChangedV1,
    ComplaintAnsweredV1,
)

app = get_celery()

status_changed = consumer(
    app, name=INTAKE_STATUS_TASK, contract=CaseStatusChangedV1, database=get_db
)(apply_status_change)

answered = consumer(app, name=INTAKE_ANSWERED_TASK, contract=ComplaintAnsweredV1, database=get_db)(
    apply_answer
)
