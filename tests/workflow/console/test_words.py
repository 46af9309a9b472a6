"""The console's words (issue 21, "Words"): a path's form is headed by what it is for and its
button says what it does, never the same words twice."""

from __future__ import annotations

from services.workflow.cases.steps import arrive, complete_step
from services.workflow.database import get_db
from services.workflow.models import Case, StaffUser
from shared.messaging.contracts import StepHandoffV1
from shared.sop import PATHS_BY_STEP, Role
from tests.support.headings import headings_repeated_as_buttons
from tests.workflow.console_client import log_in, open_console


def test_no_case_page_repeats_a_heading_as_its_button(
    staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    with open_console() as console:
        log_in(console, Role.ADMIN)
        at_step_1 = console.get(f"/console/kasus/{case_at_step_1.id}").text
        with get_db().transaction() as session:
            complete_step(
                session,
                case_id=case_at_step_1.id,
                step_number=1,
                user=staff[Role.ADMIN],
                payload={},
            )
        with get_db().transaction() as session:
            arrive(session, StepHandoffV1(case_id=case_at_step_1.id, step=2))
        log_in(console, Role.KASI)
        at_step_2 = console.get(f"/console/kasus/{case_at_step_1.id}").text
    for page, step in ((at_step_1, 1), (at_step_2, 2)):
        assert headings_repeated_as_buttons(page) == set()
        for sop_path in PATHS_BY_STEP[step].values():
            assert f"<h4>{sop_path.label}</h4>" in page
            assert f">{sop_path.action}</button>" in page
