"""Changing the SOP is a change to ``shared/sop.py``: a changed SOP (another standard time,
another step label and button, a sixth step, another short role name) shows in the console's
worklist, case page and Mutu Baku report, in the notifications' emails and SMS, in the
intake's API description and in the README's tables, and the old words are gone.

The model allows a sixth step: a case's step is a number, the steps follow one another by
number and the last one sends the answer. Here a check of the answer by the Koordinator comes
between the Tim Koordinasi's answer (step 4) and its sending, which becomes step 6; the case
walks all six steps.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from services.intake.api.app import create_app as create_intake_app
from services.notifier.channels.sms import sms_text
from services.notifier.messages import compose
from services.workflow.cases.steps import arrive, complete_step, receive_complaint
from services.workflow.database import get_db
from services.workflow.models import Case, StaffUser
from services.workflow.sla import clock
from services.workflow.staff.accounts import create_user
from shared import sop
from shared.messaging.contracts import NOTIFY_TASK, NotificationKind, StepHandoffV1
from shared.messaging.contracts.messages import sop_kinds
from shared.runtime.settings import Settings
from shared.sop import Role, Step, Telling
from tests.notifier.conftest import notification
from tests.support.clock import TestClock
from tests.support.outbox import queued_payloads
from tests.workflow.conftest import PASSWORD, filed_message
from tests.workflow.console_client import log_in, open_console
from tools import sop_docs

CHECK = Step(
    number=5,
    role=Role.KOORDINATOR,
    name="Memeriksa kelayakan jawaban pengaduan sebelum dikirim",
    kelengkapan="Jawaban pengaduan",
    output="Jawaban pengaduan yang layak dikirim",
    standard_minutes=7,
    inputs=(sop.InputField("check_note", "Catatan pemeriksaan", required=False),),
    status="answer_check",
    status_label="Jawaban pengaduan Anda sedang diperiksa oleh Koordinator",
    staff_status_label="Menunggu pemeriksaan jawaban oleh Koordinator",
    action="setujui jawaban",
    told=Telling(
        done="diperiksa kelayakan jawabannya",
        done_short="diperiksa",
        handed_for="diperiksa kelayakan jawabannya",
        handed_for_short="pemeriksaan",
    ),
)
VERIFY_NAME = "Menelaah, menilai dan memverifikasi pengaduan"
SMS = Settings(web={"public_intake_url": "https://pengaduan.madiunkota.go.id"})


def changed_steps() -> tuple[Step, ...]:
    one, two, three, four, five = sop.STEPS
    two = dataclasses.replace(
        two,
        name=VERIFY_NAME,
        standard_minutes=9,
        action="telaah dan nilai",
        told=Telling(
            done="ditelaah, dinilai dan diverifikasi",
            done_short="dinilai",
            handed_for="ditelaah dan dinilai",
            handed_for_short="penilaian",
        ),
    )
    return (one, two, three, four, CHECK, dataclasses.replace(five, number=6))


def changed_paths() -> tuple[sop.Path, ...]:
    """The answer is sent back to the Tim Koordinasi from the step that sends it, now step 6."""
    return tuple(dataclasses.replace(p, step=6) if p.step == 5 else p for p in sop.PATHS)


def use_sop(
    monkeypatch: pytest.MonkeyPatch, steps: tuple[Step, ...], paths: tuple[sop.Path, ...]
) -> None:
    """Hand every module the changed SOP: ``shared.sop``'s tables, and each copy another module
    took of them with ``from shared.sop import ...`` (found by identity, so none is missed)."""
    new: dict[str, object] = {
        "STEPS": steps,
        "PATHS": paths,
        "FIRST_STEP": steps[0],
        "STEP_BY_NUMBER": {s.number: s for s in steps},
        "PATHS_BY_STEP": sop.paths_by_step(steps, paths),
        "STATUS_LABELS": sop.status_labels(steps, paths),
        "STAFF_STATUS_LABELS": sop.staff_status_labels(steps, paths),
    }
    old = {name: getattr(sop, name) for name in new}
    for module in list(sys.modules.values()):
        names = vars(module) if module is not None else {}
        for name, value in old.items():
            if names.get(name) is value:
                monkeypatch.setattr(module, name, new[name])


@pytest.fixture
def changed_sop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sop.ROLE_SHORT_LABELS, Role.KASI, "Kasi Pelayanan")
    use_sop(monkeypatch, changed_steps(), changed_paths())


@pytest.fixture
def office_clock() -> Iterator[TestClock]:
    test_clock = TestClock()
    with clock.driven_by(test_clock):
        yield test_clock


@pytest.fixture
def staff(configured: dict[str, str]) -> dict[Role, StaffUser]:
    with get_db().transaction() as session:
        return {
            role: create_user(
                session, username=f"petugas_{role.value}", password=PASSWORD, role=role
            )
            for role in Role
        }


def _walk(case_id: str, staff: dict[Role, StaffUser], first: int, last: int) -> None:
    """Complete steps ``first``..``last`` of the SOP in force, arriving at each next one."""
    inputs: dict[int, dict[str, Any]] = {
        2: {"verification": "Valid"},
        3: {"disposition": "Tindak lanjuti", "assignees": ["petugas_tim_koordinasi"]},
    }
    inputs[4] = {"answer": "Izin Anda terbit hari ini."}
    for step in sop.STEPS[first - 1 : last]:
        with get_db().transaction() as session:
            complete_step(
                session,
                case_id=case_id,
                step_number=step.number,
                user=staff[step.role],
                payload=inputs.get(step.number, {}),
            )
            following = sop.next_step(step)
            if following is not None:
                arrive(session, StepHandoffV1(case_id=case_id, step=following.number))


def test_the_console_shows_the_changed_steps_and_walks_the_sixth(
    changed_sop: None,
    configured: dict[str, str],
    staff: dict[Role, StaffUser],
    office_clock: TestClock,
) -> None:
    with get_db().transaction() as session:
        case_id = receive_complaint(session, filed_message()).id
    _walk(case_id, staff, 1, 1)
    with open_console() as console:
        log_in(console, Role.KASI)
        worklist = console.get("/console").text
        assert f"2. {VERIFY_NAME}" in worklist
        assert "langkah 2: 9 menit" in worklist and "langkah 5: 7 menit" in worklist
        assert "setiap langkah: 5 menit" not in worklist
        page = console.get(f"/console/kasus/{case_id}").text
        assert "Selesaikan langkah 2: telaah dan nilai" in page
        assert "Selesaikan langkah 2: verifikasi<" not in page

        _walk(case_id, staff, 2, 4)
        log_in(console, Role.KOORDINATOR)
        assert f"5. {CHECK.name}" in console.get("/console").text
        assert (
            "Selesaikan langkah 5: setujui jawaban" in console.get(f"/console/kasus/{case_id}").text
        )

        report = console.get("/console/laporan").text
        assert "langkah 2: 9 menit" in report and "5 menit jam kerja per langkah" not in report
        assert "waktu baku 36 menit" in report and "waktu baku 25 menit" not in report
        assert CHECK.name in report and VERIFY_NAME in report
        assert "semua langkah selesai dalam waktu bakunya" in report

    _walk(case_id, staff, 5, 6)
    with get_db().sessions() as session:
        case = session.scalars(select(Case).where(Case.id == case_id)).one()
        assert (case.current_step, case.status, case.answer) == (
            None,
            sop.ANSWERED,
            "Izin Anda terbit hari ini.",
        )
    assert [m["kind"] for m in queued_payloads(get_db(), NOTIFY_TASK)].count("answer") == 1


def test_the_notifications_follow_the_changed_steps_and_roles(changed_sop: None) -> None:
    filed = compose(notification(NotificationKind.FILED))
    assert "ditelaah, dinilai dan diverifikasi, didisposisi, ditindaklanjuti, lalu diperiksa" in (
        " ".join(filed.body.split())
    )
    assert "kelayakan jawabannya oleh Koordinator." in filed.html
    assert "Tim Koordinasi Perizinan" not in filed.html

    registered = " ".join(compose(notification(NotificationKind.REGISTERED)).body.split())
    assert "melaporkannya kepada Kepala Seksi untuk ditelaah dan dinilai;" in registered
    assert "lalu didisposisi, ditindaklanjuti dan diperiksa kelayakan jawabannya" in registered

    verified = compose(notification(NotificationKind.VERIFIED))
    assert "telah ditelaah, dinilai dan diverifikasi oleh Kepala Seksi" in verified.html
    sms = sms_text(notification(NotificationKind.VERIFIED), settings=SMS)
    assert sms.startswith("Pengaduan PGD-2026-0042 telah dinilai Kasi Pelayanan dan diteruskan")
    assert "diverifikasi Kasi " not in sms


def test_the_intake_api_description_counts_the_changed_steps(
    changed_sop: None, configured: dict[str, str]
) -> None:
    description = create_intake_app().description
    assert "dalam enam langkah SOP" in description and "lima langkah" not in description
    assert "langkah 2: 9 menit" in description and "(total 36 menit)" in description
    assert "masing-masing dengan waktu baku 5 menit" not in description


def test_the_readme_tables_follow_the_changed_sop(changed_sop: None) -> None:
    tables = sop_docs.render()
    assert f"| 5 | `koordinator` ({sop.ROLE_LABELS[Role.KOORDINATOR]})" in tables
    assert f"| {VERIFY_NAME} |" in tables and "| 9 menit |" in tables
    assert "Total standard time: 36 minutes." in tables
    assert "(after step 6: the notifier)" in tables
    assert "| 6 | `return_answer`" in tables
    assert (
        "`answer_check` | Menunggu pemeriksaan jawaban oleh Koordinator "
        "| Jawaban pengaduan Anda sedang diperiksa oleh Koordinator"
    ) in tables
    assert "akan ditelaah Kasi Pelayanan" in tables


def test_news_the_contract_has_no_kind_for_is_named_when_the_contracts_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``NotificationKind`` is a versioned wire contract, written out; the SOP is checked
    against it, so a new told status cannot go out without a kind and its templates."""
    assert NotificationKind.VERIFIED in sop_kinds()
    told = dataclasses.replace(sop.PATHS[0], name="escalate", status="escalated")
    use_sop(monkeypatch, sop.STEPS, (*sop.PATHS, told))
    with pytest.raises(ValueError, match=r"\['escalated'\], which NotificationKind lacks"):
        sop_kinds()


def test_the_real_sop_reads_as_before(configured: dict[str, str]) -> None:
    """The same checks against today's SOP: five steps of five minutes each."""
    description = create_intake_app().description
    assert "dalam lima langkah SOP, masing-masing dengan waktu baku 5 menit" in description
    assert "Total standard time: 25 minutes." in sop_docs.render()
    filed = " ".join(compose(notification(NotificationKind.FILED)).body.split())
    assert "didisposisi, lalu ditindaklanjuti oleh Tim Koordinasi Perizinan." in filed
