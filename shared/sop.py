"""The SOP "Penanganan Pengaduan Pelayanan Perizinan ... secara Online" as data.

Every service reads the steps from here: queue routing, worklists, required input, the
citizen-facing status and the README's tables. Changing the SOP is a change to ``STEPS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    KASI = "kasi"
    KOORDINATOR = "koordinator"
    TIM_KOORDINASI = "tim_koordinasi"


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "Admin Pengaduan",
    Role.KASI: "Kepala Seksi (Kasi)",
    Role.KOORDINATOR: "Koordinator (Kepala Bidang)",
    Role.TIM_KOORDINASI: "Tim Koordinasi Perizinan DPMPTSP",
}


@dataclass(frozen=True)
class InputField:
    """One field of what a person submits to complete a step."""

    name: str
    label: str
    required: bool
    max_length: int = 5000


@dataclass(frozen=True)
class Step:
    number: int
    role: Role
    name: str  # Uraian prosedur, shortened, as staff read it
    kelengkapan: str  # what must be in hand to do the step
    output: str  # what the step produces and hands on
    standard_minutes: int
    inputs: tuple[InputField, ...]
    status: str  # the case's status while it waits at this step (stable English code)
    status_label: str  # the same, as the complainant reads it

    @property
    def queue(self) -> str:
        return self.role.value

    @property
    def arrive_task(self) -> str:
        return f"workflow.step.{self.number}.arrive"


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
        status_label="Laporan pengaduan diterima oleh Admin Pengaduan",
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
        status_label="Laporan pengaduan sedang ditelaah dan diverifikasi oleh Kasi",
    ),
    Step(
        number=3,
        role=Role.KOORDINATOR,
        name="Memberikan disposisi dan arahan tindak lanjut pengaduan",
        kelengkapan="Disposisi laporan",
        output="Laporan tindak lanjut pengaduan dan jawaban pengaduan",
        standard_minutes=5,
        inputs=(InputField("disposition", "Disposisi dan arahan", required=True),),
        status="disposition",
        status_label="Laporan pengaduan menunggu disposisi Koordinator",
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
        status_label="Laporan pengaduan sedang ditindaklanjuti oleh Tim Koordinasi",
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
        status_label="Jawaban pengaduan sedang dikirim kepada pengadu",
    ),
)

FIRST_STEP = STEPS[0]
STEP_BY_NUMBER: dict[int, Step] = {step.number: step for step in STEPS}

# Statuses outside the steps: before the workflow has the case, and after the answer went out.
SUBMITTED = "submitted"
ANSWERED = "answered"
STATUS_LABELS: dict[str, str] = {
    SUBMITTED: "Laporan pengaduan terkirim dan menunggu diterima Admin Pengaduan",
    **{step.status: step.status_label for step in STEPS},
    ANSWERED: "Jawaban pengaduan telah dikirim kepada pengadu",
}


def step(number: int) -> Step:
    """The step with this number; ``KeyError`` for one the SOP does not have."""
    return STEP_BY_NUMBER[number]


def next_step(current: Step) -> Step | None:
    """The step that follows, or ``None`` after the last one (the answer goes to the notifier)."""
    return STEP_BY_NUMBER.get(current.number + 1)


def total_standard_minutes() -> int:
    return sum(s.standard_minutes for s in STEPS)
