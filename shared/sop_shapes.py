"""What the SOP is made of: its roles, a step, a path out of a step, the input a person gives.
The SOP itself, written in these shapes, is ``shared.sop``: a change to the SOP is a change
there, and these shapes change only when the SOP needs something they cannot say."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    KASI = "kasi"
    KOORDINATOR = "koordinator"
    TIM_KOORDINASI = "tim_koordinasi"


class InputKind(StrEnum):
    """What an input holds, so the API, the console's form and the record read it alike."""

    TEXT = "text"
    STAFF = "staff"  # a list of usernames: active staff of ``InputField.staff_role``
    DATE = "date"  # an ISO date, not before today in the office's time zone


@dataclass(frozen=True)
class InputField:
    """One field of what a person submits to complete a step."""

    name: str
    label: str
    required: bool
    max_length: int = 5000
    for_complainant: bool = False  # also shown to the complainant (a reason, the body to turn to)
    kind: InputKind = InputKind.TEXT
    staff_role: Role | None = None  # for ``InputKind.STAFF``: whom the field may name


@dataclass(frozen=True)
class Telling:
    """What a complainant reads of a step in their notifications, in the passive voice of
    their complaint ("laporan pengaduan Anda akan ditelaah dan diverifikasi")."""

    done: str  # what happens to the complaint at the step
    done_short: str  # the same in an SMS
    handed_for: str  # why the case is handed to the step's role ("untuk ...")
    handed_for_short: str  # the same in an SMS


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
    status_label: str  # the same, as the complainant reads it ("Laporan pengaduan Anda ...")
    staff_status_label: str  # the same, as staff read it in the console and the staff API
    action: str  # the step's complete button says "Selesaikan langkah 2: <action>"
    # The notification kind (``shared.messaging.contracts.NotificationKind``) the complainant is
    # sent when the step is completed, if the step's completion is news to them.
    tells_complainant: str | None = None
    # The input whose text is the answer sent to the complainant after the last step.
    answer_input: str | None = None
    told: Telling | None = None  # None: the complainant's notifications do not name the step

    @property
    def queue(self) -> str:
        return self.role.value

    @property
    def arrive_task(self) -> str:
        return f"workflow.step.{self.number}.arrive"


@dataclass(frozen=True)
class NoReply:
    """How waiting for the complainant ends when they do not answer: a reminder halfway to the
    reply deadline (``settings.sla.reply_office_days``), and at the deadline the case closes with
    ``status``. Both are notification kinds of their own (``reminder``; ``status``)."""

    reminder: str  # the notification kind sent halfway
    status: str  # the case's status after the deadline; also the kind of the closing message
    status_label: str  # as the complainant reads it
    staff_status_label: str  # as staff read it


@dataclass(frozen=True)
class Path:
    """A way out of a step other than completing it. The SOP leaves these open (invalid,
    incomplete, out-of-authority, duplicated complaints; an answer not fit to send); the office's
    decisions live here, as data, beside the steps."""

    name: str
    step: int  # the step it is taken from; that step's role takes it
    label: str  # as staff read it, the heading of its form
    action: str  # its button, in other words than the heading
    inputs: tuple[InputField, ...]
    returns_to: int | None  # the step the case goes back to; None: it leaves the steps
    status: str | None  # the case's status afterwards (None: the status of ``returns_to``)
    status_label: str | None  # as the complainant reads it
    staff_status_label: str | None  # as staff read it
    tells_complainant: bool
    waits_for_complainant: bool = False  # the complainant's reply brings it back to ``step``
    closes: bool = False
    no_reply: NoReply | None = None  # a waiting path: what the reply deadline does

    @property
    def reply_task(self) -> str:
        """The task a complainant's reply travels on (routed to this step's role queue)."""
        return f"workflow.step.{self.step}.complainant_reply"


@dataclass(frozen=True)
class Reopening:
    """How an answered case is opened again (*dibuka kembali*): within ``settings.sla.
    reopen_office_days`` office days of the answer, on the complainant's request or a rating of
    at most ``unsatisfied_up_to`` (the SKM survey's 1-4 scale: 1-2 *tidak puas*, 3-4 *puas*).
    The first reopening goes back to step ``first_to``; every later one to ``later_to``, a
    step higher, since the answer has already been checked again once. After the window with no
    reopening the case is ``closed``."""

    first_to: int
    later_to: int
    unsatisfied_up_to: int
    unsatisfied_reason: str  # the reason recorded for a *tidak puas* rating with no comment
    closed: str  # the status after the window (stable English code)
    closed_label: str  # as the complainant reads it
    closed_staff_label: str  # as staff read it

    def returns_to(self, reopened_before: int) -> int:
        """The step a case goes back to, given how often it was reopened before."""
        return self.first_to if reopened_before == 0 else self.later_to

    def is_satisfied(self, score: int) -> bool:
        return score > self.unsatisfied_up_to
