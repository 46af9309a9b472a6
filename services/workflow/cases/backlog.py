"""Each role's backlog: how many cases wait at its steps, how many are past their standard time
(Mutu Baku), and how long the oldest has waited, in office minutes.

Flower counts only the messages in flight on Redis; once a case has arrived at a step it waits
here, in the workflow's database, and the queues read 0. Operators read these figures on
``/metrics`` and ``/console/antrean``, and each role at the top of its worklist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from services.workflow.models import Case
from services.workflow.sla.office_calendar import office_calendar
from shared.sop import ROLE_LABELS, STEP_BY_NUMBER, Role


@dataclass(frozen=True)
class RoleBacklog:
    role: Role
    waiting: int
    overdue: int
    oldest_wait_office_minutes: float

    @property
    def label(self) -> str:
        return ROLE_LABELS[self.role]


def backlogs(session: Session, now: datetime) -> list[RoleBacklog]:
    """Every role, in the SOP's order, zeros included (a gauge or a table needs each row).

    Two grouped reads whatever the number of cases: a case's wait is its office minutes since
    it arrived plus what it had spent there before a pause, so the longest wait of a role is its
    earliest arrival's, unless a case resumed after a pause waited longer in all; those few
    (a request for information answered) are read one by one.
    """
    calendar = office_calendar()
    waiting: dict[Role, int] = dict.fromkeys(Role, 0)
    overdue: dict[Role, int] = dict.fromkeys(Role, 0)
    oldest: dict[Role, float] = dict.fromkeys(Role, 0.0)

    def wait_of(role: Role, arrived: datetime, before_pause: float) -> None:
        minutes = before_pause + calendar.minutes_between(arrived, now)
        oldest[role] = max(oldest[role], round(minutes, 2))

    arrived = Case.step_arrived_at.is_not(None)
    grouped = session.execute(
        select(
            Case.current_step,
            func.count(),
            func.sum(case((Case.due_at <= now, 1), else_=0)),
            func.min(Case.step_arrived_at),
        )
        .where(arrived, Case.current_step.is_not(None))
        .group_by(Case.current_step)
    )
    for number, count, late, earliest in grouped:
        role = STEP_BY_NUMBER[number].role
        waiting[role] += count
        overdue[role] += int(late or 0)
        wait_of(role, earliest, 0.0)
    resumed = session.execute(
        select(Case.current_step, Case.step_arrived_at, Case.minutes_before_pause).where(
            arrived, Case.current_step.is_not(None), Case.minutes_before_pause > 0
        )
    )
    for number, since, before_pause in resumed:
        if number is not None and since is not None:  # selected on both; for the type checker
            wait_of(STEP_BY_NUMBER[number].role, since, before_pause)
    return [RoleBacklog(role, waiting[role], overdue[role], oldest[role]) for role in Role]
