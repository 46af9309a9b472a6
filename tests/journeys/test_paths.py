"""Each path out of a step besides completing it, end to end through the real queues, as the
complainant sees it on the tracking page and in their mail."""

from __future__ import annotations

from shared.sop import STATUS_LABELS, Role
from tools.harness.desk import STEP_INPUTS, Desk
from tools.harness.processes import wait_for

REASON = "Mohon lampirkan nomor permohonan izin dan tanggal pengajuannya."


def _mail_containing(system: Desk, text: str, address: str | None = None) -> list:
    mails = system.emails_to(address) if address else system.emails_to()
    return [m for m in mails if text in m.get_content()]


def _kinds(system: Desk, case_id: str) -> list[tuple[str, int | None]]:
    return [(e["kind"], e["step"]) for e in system.case(case_id)["history"]]


def test_kasi_asks_for_information_and_the_reply_returns_the_case_to_step_2(system: Desk) -> None:
    filed = system.file_complaint()
    case_id = system.walk(filed["tracking_code"], range(1, 2))
    system.wait_for_work(Role.KASI, filed["tracking_code"], 2)
    asked = system.take_path(Role.KASI, case_id, 2, "request_information", {"reason": REASON})
    assert asked.status_code == 202, asked.text

    tracked = system.wait_for_status(filed, "information_requested")
    assert tracked["status_label"] == STATUS_LABELS["information_requested"]
    assert tracked["timeline"][-1]["note"] == REASON
    wait_for(lambda: _mail_containing(system, REASON), 60, "the request by email")
    assert system.worklist(Role.KASI) == []

    replied = system.reply(filed, "Nomor permohonan 123/IUMK/2026, diajukan 3 November.")
    assert replied.status_code == 202, replied.text
    assert system.reply(filed, "sekali lagi").status_code == 409

    system.walk(filed["tracking_code"], range(2, 6))
    tracked = system.wait_for_status(filed, "answered")
    statuses = [e["status"] for e in tracked["timeline"]]
    assert statuses.count("verifying") == 2
    assert "information_supplied" in statuses
    history = system.case(case_id)["history"]
    reply = next(e for e in history if e["kind"] == "complainant_replied")
    assert reply["input"] == {"message": "Nomor permohonan 123/IUMK/2026, diajukan 3 November."}


def test_kasi_declines_and_the_complainant_reads_why(system: Desk) -> None:
    filed = system.file_complaint()
    case_id = system.walk(filed["tracking_code"], range(1, 2))
    system.wait_for_work(Role.KASI, filed["tracking_code"], 2)
    reason = "Pengaduan mengenai pajak daerah, bukan perizinan."
    declined = system.take_path(
        Role.KASI,
        case_id,
        2,
        "decline",
        {"reason": reason, "responsible_body": "Badan Pendapatan Daerah Kota Madiun"},
    )
    assert declined.status_code == 202, declined.text

    tracked = system.wait_for_status(filed, "declined")
    note = tracked["timeline"][-1]["note"]
    assert note.startswith(reason) and "Badan Pendapatan Daerah Kota Madiun" in note
    wait_for(lambda: _mail_containing(system, reason), 60, "the refusal by email")
    assert system.case(case_id)["status"] == "declined"
    again = system.complete(Role.KASI, case_id, 2)
    assert again.status_code == 409
    assert tracked["answer"] is None


def test_koordinator_sends_the_case_back_to_kasi(system: Desk) -> None:
    filed = system.file_complaint()
    case_id = system.walk(filed["tracking_code"], range(1, 3))
    system.wait_for_work(Role.KOORDINATOR, filed["tracking_code"], 3)
    back = system.take_path(
        Role.KOORDINATOR, case_id, 3, "return_for_verification", {"reason": "Cek ulang berkas"}
    )
    assert back.status_code == 202, back.text
    system.walk(filed["tracking_code"], range(2, 6))
    system.wait_for_status(filed, "answered")
    kinds = _kinds(system, case_id)
    assert kinds.count(("completed", 2)) == 2
    assert ("path", 3) in kinds


def test_admin_returns_an_unfit_answer_and_only_the_rewritten_one_is_sent(system: Desk) -> None:
    filed = system.file_complaint()
    case_id = system.walk(filed["tracking_code"], range(1, 5))
    system.wait_for_work(Role.ADMIN, filed["tracking_code"], 5)
    back = system.take_path(
        Role.ADMIN, case_id, 5, "return_answer", {"reason": "Jawaban untuk pengaduan lain"}
    )
    assert back.status_code == 202, back.text
    system.wait_for_work(Role.TIM_KOORDINASI, filed["tracking_code"], 4)
    rewritten = "Izin usaha Anda terbit 28 November 2026; unduh melalui OSS."
    assert (
        system.complete(Role.TIM_KOORDINASI, case_id, 4, {"answer": rewritten}).status_code == 202
    )
    system.walk(filed["tracking_code"], range(5, 6))

    tracked = system.wait_for_status(filed, "answered")
    assert tracked["answer"] == rewritten
    wait_for(lambda: _mail_containing(system, rewritten), 60, "the rewritten answer")
    assert _mail_containing(system, STEP_INPUTS[4]["answer"]) == []


def test_duplicates_receive_the_original_answer_before_and_after_it_is_given(system: Desk) -> None:
    original = system.file_complaint()
    early = system.file_complaint(
        reporter={"name": "Ani", "email": "ani@example.id", "phone": "081298765432"}
    )
    system.wait_for_work(Role.ADMIN, original["tracking_code"], 1)
    early_case = system.wait_for_work(Role.ADMIN, early["tracking_code"], 1)["case_id"]
    marked = system.take_path(
        Role.ADMIN,
        early_case,
        1,
        "mark_duplicate",
        {"original_tracking_code": original["tracking_code"]},
    )
    assert marked.status_code == 202, marked.text
    assert system.wait_for_status(early, "duplicate")["timeline"][-1]["note"] is None
    assert system.case(early_case)["duplicate_of"] == original["tracking_code"]

    original_case = system.walk(original["tracking_code"])
    system.wait_for_status(original, "answered")
    assert system.wait_for_status(early, "answered")["answer"] == STEP_INPUTS[4]["answer"]

    late = system.file_complaint(
        reporter={"name": "Rudi", "email": "rudi@example.id", "phone": "081311112222"}
    )
    late_case = system.wait_for_work(Role.ADMIN, late["tracking_code"], 1)["case_id"]
    system.take_path(
        Role.ADMIN,
        late_case,
        1,
        "mark_duplicate",
        {"original_tracking_code": original["tracking_code"].lower()},
    )
    assert system.wait_for_status(late, "answered")["answer"] == STEP_INPUTS[4]["answer"]
    # The tracking page shows the answer as soon as the notifier has it; the email follows.
    for address in ("ani@example.id", "rudi@example.id"):
        wait_for(
            lambda address=address: _mail_containing(system, STEP_INPUTS[4]["answer"], address),
            60,
            f"the answer mailed to {address}",
        )
        assert len(_mail_containing(system, STEP_INPUTS[4]["answer"], address)) == 1
    assert system.case(original_case)["duplicates"] == [
        early["tracking_code"],
        late["tracking_code"],
    ]
