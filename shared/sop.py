"""The SOP "Penanganan Pengaduan Pelayanan Perizinan ... secara Online" as data.

Every service reads the steps from here: queue routing, worklists, required input, the
citizen-facing status, the words of the console, the notifications and the API descriptions,
and the README's tables. Changing the SOP is a change to this file; the words others build
from it are built when asked, not once at import.
"""

from __future__ import annotations

# The shapes are beside it (shared/sop_shapes.py), so this file is the SOP alone.
from shared.sop_shapes import (
    InputField,
    InputKind,
    NoReply,
    Path,
    Reopening,
    Role,
    Step,
    Telling,
)

# The shapes are read from here too (``from shared.sop import Role``), as before they moved.
__all__ = [
    "InputField",
    "InputKind",
    "NoReply",
    "Path",
    "Reopening",
    "Role",
    "Step",
    "Telling",
]

ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "Admin Pengaduan",
    Role.KASI: "Kepala Seksi (Kasi)",
    Role.KOORDINATOR: "Koordinator (Kepala Bidang)",
    Role.TIM_KOORDINASI: "Tim Koordinasi Perizinan DPMPTSP",
}
# The role as a complainant reads it in a sentence ("diverifikasi oleh Kepala Seksi").
ROLE_TITLES: dict[Role, str] = {
    Role.ADMIN: "Admin Pengaduan",
    Role.KASI: "Kepala Seksi",
    Role.KOORDINATOR: "Koordinator",
    Role.TIM_KOORDINASI: "Tim Koordinasi Perizinan",
}
# The role where room is short: an SMS, a notice on the tracking page.
ROLE_SHORT_LABELS: dict[Role, str] = {
    Role.ADMIN: "Admin Pengaduan",
    Role.KASI: "Kasi",
    Role.KOORDINATOR: "Koordinator",
    Role.TIM_KOORDINASI: "Tim Koordinasi",
}


STEPS: tuple[Step, ...] = (
    Step(
        number=1,
        role=Role.ADMIN,
        name="Menerima pengaduan secara online dan melaporkan kepada Kasi",
        kelengkapan="Laporan pengaduan",
        output="Laporan pengaduan",
        standard_minutes=5,
        inputs=(InputField("note", "Catatan admin", required=False),),
        status="received",
        # The SOP's record keeping ("Teregister pada Sistem/Aplikasi Pengaduan") happens here,
        # when the workflow takes the case in; intake alone has only received it.
        status_label="Laporan pengaduan Anda telah teregister pada Sistem Pengaduan dan "
        "diteruskan kepada Admin Pengaduan",
        staff_status_label="Menunggu diterima Admin Pengaduan",
        action="terima dan laporkan kepada Kasi",
    ),
    Step(
        number=2,
        role=Role.KASI,
        name="Menelaah dan memverifikasi pengaduan serta melaporkan kepada Kabid",
        kelengkapan="Laporan pengaduan",
        output="Disposisi laporan",
        standard_minutes=5,
        inputs=(InputField("verification", "Hasil telaah dan verifikasi", required=True),),
        status="verifying",
        status_label="Laporan pengaduan Anda sedang ditelaah dan diverifikasi oleh Kasi",
        staff_status_label="Menunggu verifikasi Kasi",
        tells_complainant="verified",
        action="verifikasi",
        told=Telling(
            done="ditelaah dan diverifikasi",
            done_short="diverifikasi",
            handed_for="ditelaah dan diverifikasi",
            handed_for_short="verifikasi",
        ),
    ),
    Step(
        number=3,
        role=Role.KOORDINATOR,
        name="Memberikan disposisi dan arahan tindak lanjut pengaduan",
        kelengkapan="Disposisi laporan",
        output="Laporan tindak lanjut pengaduan dan jawaban pengaduan",
        standard_minutes=5,
        inputs=(
            InputField("disposition", "Disposisi dan arahan", required=True),
            # Whom the disposition is addressed to (the licensing unit's members are Tim
            # Koordinasi accounts with a unit) and by when they follow it up.
            InputField(
                "assignees",
                "Didisposisikan kepada",
                required=True,
                kind=InputKind.STAFF,
                staff_role=Role.TIM_KOORDINASI,
            ),
            InputField(
                "due_date", "Batas waktu tindak lanjut", required=False, kind=InputKind.DATE
            ),
        ),
        status="disposition",
        status_label="Laporan pengaduan Anda menunggu disposisi Koordinator",
        staff_status_label="Menunggu disposisi Koordinator",
        action="beri disposisi",
        told=Telling(
            done="didisposisi",
            done_short="didisposisi",
            handed_for="diberikan disposisi dan arahan tindak lanjut",
            handed_for_short="disposisi",
        ),
    ),
    Step(
        number=4,
        role=Role.TIM_KOORDINASI,
        name="Menindaklanjuti pengaduan dan memberikan jawaban kepada Admin Pengaduan",
        kelengkapan="Jawaban pengaduan",
        output="Jawaban pengaduan",
        standard_minutes=5,
        inputs=(InputField("answer", "Jawaban pengaduan", required=True, max_length=10000),),
        status="follow_up",
        status_label="Laporan pengaduan Anda sedang ditindaklanjuti oleh Tim Koordinasi",
        staff_status_label="Menunggu tindak lanjut Tim Koordinasi",
        action="kirim jawaban kepada Admin",
        answer_input="answer",
        told=Telling(
            done="ditindaklanjuti",
            done_short="ditindaklanjuti",
            handed_for="ditindaklanjuti",
            handed_for_short="tindak lanjut",
        ),
    ),
    Step(
        number=5,
        role=Role.ADMIN,
        name="Meneruskan jawaban kepada pengadu melalui sistem",
        kelengkapan="Jawaban pengaduan",
        output="Jawaban pengaduan terkirim",
        standard_minutes=5,
        inputs=(),
        status="answer_ready",
        status_label="Jawaban pengaduan Anda sedang disiapkan untuk dikirim",
        staff_status_label="Jawaban menunggu diteruskan Admin Pengaduan",
        action="teruskan jawaban kepada pengadu",
    ),
)


REASON = InputField("reason", "Alasan", required=True, max_length=2000, for_complainant=True)

PATHS: tuple[Path, ...] = (
    Path(
        name="mark_duplicate",
        step=1,
        label="Tandai sebagai duplikat laporan lain",
        action="Gabungkan dengan laporan asli",
        inputs=(
            InputField(
                "original_tracking_code",
                "Kode pelacakan laporan asli",
                required=True,
                max_length=32,
            ),
        ),
        returns_to=None,
        status="duplicate",
        status_label="Laporan pengaduan Anda digabungkan dengan laporan yang sama; jawabannya "
        "akan dikirim kepada Anda",
        staff_status_label="Digabungkan dengan laporan asli (duplikat)",
        tells_complainant=True,
        closes=True,
    ),
    Path(
        name="request_information",
        step=2,
        label="Minta kelengkapan data kepada pengadu",
        action="Kirim permintaan kepada pengadu",
        inputs=(REASON,),
        returns_to=None,
        status="information_requested",
        status_label="Laporan pengaduan Anda memerlukan kelengkapan data",
        staff_status_label="Menunggu kelengkapan data dari pengadu",
        tells_complainant=True,
        waits_for_complainant=True,
        no_reply=NoReply(
            reminder="information_reminder",
            status="closed_no_response",
            status_label="Laporan pengaduan Anda ditutup \N{EN DASH} tidak ada tanggapan dari Anda "
            "sampai batas waktu",
            staff_status_label="Ditutup \N{EN DASH} tidak ada tanggapan dari pengadu",
        ),
    ),
    Path(
        name="decline",
        step=2,
        label="Tolak: bukan pengaduan atau di luar kewenangan DPMPTSP",
        action="Tolak laporan pengaduan",
        inputs=(
            REASON,
            InputField(
                "responsible_body",
                "Instansi yang berwenang",
                required=False,
                max_length=300,
                for_complainant=True,
            ),
        ),
        returns_to=None,
        status="declined",
        status_label="Laporan pengaduan Anda tidak dapat ditindaklanjuti oleh DPMPTSP Kota Madiun",
        staff_status_label="Ditolak: bukan pengaduan atau di luar kewenangan DPMPTSP",
        tells_complainant=True,
        closes=True,
    ),
    Path(
        name="return_for_verification",
        step=3,
        label="Kembalikan kepada Kasi untuk diverifikasi ulang",
        action="Kembalikan kepada Kasi",
        inputs=(REASON,),
        returns_to=2,
        status=None,
        status_label=None,
        staff_status_label=None,
        tells_complainant=False,
    ),
    Path(
        name="return_answer",
        step=5,
        label="Kembalikan jawaban kepada Tim Koordinasi (belum layak dikirim)",
        action="Kembalikan kepada Tim Koordinasi",
        inputs=(REASON,),
        returns_to=4,
        status=None,
        status_label=None,
        staff_status_label=None,
        tells_complainant=False,
    ),
)


def paths_by_step(steps: tuple[Step, ...], paths: tuple[Path, ...]) -> dict[int, dict[str, Path]]:
    """The tables below are derived by functions, so a changed SOP (a test's) derives its own."""
    return {s.number: {p.name: p for p in paths if p.step == s.number} for s in steps}


PATHS_BY_STEP = paths_by_step(STEPS, PATHS)

# Who answers for a role whose step ran past its standard (the Mutu Baku sweep escalates a breach
# to them), read from the SOP's own reporting lines: the Admin reports to the Kasi (step 1), the
# Kasi to the Kabid, who is the Koordinator (step 2), and the Tim Koordinasi acts on the
# Koordinator's disposition (step 3). ``None``: no role of the SOP stands above; the head of
# office hears of it (``settings.sla.head_of_office_emails``).
SUPERVISED_BY: dict[Role, Role | None] = {
    Role.ADMIN: Role.KASI,
    Role.KASI: Role.KOORDINATOR,
    Role.KOORDINATOR: None,
    Role.TIM_KOORDINASI: Role.KOORDINATOR,
}
HEAD_OF_OFFICE_LABEL = "Kepala Dinas DPMPTSP"

FIRST_STEP = STEPS[0]
STEP_BY_NUMBER: dict[int, Step] = {step.number: step for step in STEPS}

# Statuses outside the steps: before the workflow has the case (intake's own), after the
# complainant replied (intake's own), and after the answer went out (the workflow's final status
# after the last step, and intake's once the notifier delivered it).
SUBMITTED = "submitted"
ANSWERED = "answered"
INFORMATION_SUPPLIED = "information_supplied"


# After the answer: the complainant may have the case opened again (*dibuka kembali*) for a
# while; the first time the Kasi checks it anew from step 2, any later time the Koordinator
# disposes it anew from step 3. After the window the case is closed (*ditutup*).
REOPENING = Reopening(
    first_to=2,
    later_to=3,
    unsatisfied_up_to=2,
    unsatisfied_reason="Pengadu tidak puas dengan jawaban",
    closed="closed",
    closed_label="Laporan pengaduan Anda telah selesai dan ditutup",
    closed_staff_label="Selesai dan ditutup (masa dibuka kembali berakhir)",
)
CLOSED = REOPENING.closed


def reply_reader(steps: tuple[Step, ...], paths: tuple[Path, ...]) -> Role:
    """Who reads a complainant's reply: the role of the step that asked for it."""
    asking = next(p for p in paths if p.waits_for_complainant)
    return next(s.role for s in steps if s.number == asking.step)


def status_labels(steps: tuple[Step, ...], paths: tuple[Path, ...]) -> dict[str, str]:
    """Every status as the complainant reads it, in the second person, on their pages, API
    answers and notifications."""
    reader = ROLE_SHORT_LABELS[reply_reader(steps, paths)]
    return {
        SUBMITTED: "Laporan pengaduan Anda telah diterima dan menunggu diregister pada Sistem "
        "Pengaduan",
        **{step.status: step.status_label for step in steps},
        **{p.status: p.status_label for p in paths if p.status and p.status_label},
        **{p.no_reply.status: p.no_reply.status_label for p in paths if p.no_reply},
        INFORMATION_SUPPLIED: "Kelengkapan data dari Anda telah dikirim dan akan ditelaah "
        + reader,
        ANSWERED: "Jawaban pengaduan telah dikirim kepada Anda",
        REOPENING.closed: REOPENING.closed_label,
    }


def staff_status_labels(steps: tuple[Step, ...], paths: tuple[Path, ...]) -> dict[str, str]:
    """The statuses a case in the workflow holds, as staff read them (console, staff API), in the
    order of the SOP; the keys are the search's choices."""
    return {
        **{step.status: step.staff_status_label for step in steps},
        **{p.status: p.staff_status_label for p in paths if p.status and p.staff_status_label},
        **{p.no_reply.status: p.no_reply.staff_status_label for p in paths if p.no_reply},
        ANSWERED: "Jawaban terkirim kepada pengadu",
        REOPENING.closed: REOPENING.closed_staff_label,
    }


STATUS_LABELS = status_labels(STEPS, PATHS)
STAFF_STATUS_LABELS = staff_status_labels(STEPS, PATHS)


def closed_statuses(paths: tuple[Path, ...]) -> frozenset[str]:
    """The statuses a case ends in: closed after the reopening window, and each path's that
    closes it (declined, duplicate) or closes it for want of a reply. Only such a case's
    personal data may be erased (the retention sweep, the complainant's early request)."""
    return frozenset(
        {
            REOPENING.closed,
            *(p.status for p in paths if p.closes and p.status),
            *(p.no_reply.status for p in paths if p.no_reply),
        }
    )


CLOSED_STATUSES = closed_statuses(PATHS)


def path(step_number: int, name: str) -> Path:
    """The path ``name`` out of step ``step_number``; ``KeyError`` if the SOP has none."""
    return PATHS_BY_STEP[step_number][name]


def step(number: int) -> Step:
    """The step with this number; ``KeyError`` for one the SOP does not have."""
    return STEP_BY_NUMBER[number]


def next_step(current: Step) -> Step | None:
    """The step that follows, or ``None`` after the last one (the answer goes to the notifier)."""
    return STEP_BY_NUMBER.get(current.number + 1)


def supervisor_label(role: Role) -> str:
    """Who hears of ``role``'s breach, as staff read it."""
    above = SUPERVISED_BY[role]
    return HEAD_OF_OFFICE_LABEL if above is None else ROLE_LABELS[above]


def total_standard_minutes() -> int:
    return sum(s.standard_minutes for s in STEPS)


def complainant_desk() -> Role:
    """The role that speaks with the complainant: it takes the complaint in (the first step) and
    re-sends a notification that did not arrive."""
    return FIRST_STEP.role


def reply_reader_label() -> str:
    """Who reads a complainant's reply, as the complainant reads it ("Kasi")."""
    return ROLE_SHORT_LABELS[reply_reader(STEPS, PATHS)]
