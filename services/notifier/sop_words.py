"""The SOP's roles and steps as the notifications say them to a complainant, built from
``shared.sop`` when a message is composed, so the emails and SMS follow a changed SOP."""

from __future__ import annotations

from dataclasses import dataclass

from shared import sop
from shared.messaging.contracts import NotificationKind


@dataclass(frozen=True)
class SopWords:
    desk: str  # the role that takes the complaint in and signs the mails: "Admin Pengaduan"
    desk_short: str  # the same in an SMS
    # Registered: "<desk> akan melaporkannya kepada <first_told> untuk <...>; laporan
    # pengaduan Anda lalu <then_told>". Filed: "laporan pengaduan Anda akan <all_told>".
    first_told: str
    then_told: str
    all_told: str
    # The step whose completion this notification reports, and the next one (verified).
    done: str  # "ditelaah dan diverifikasi oleh Kepala Seksi, dan kini diteruskan kepada ..."
    done_short: str  # "diverifikasi Kasi dan diteruskan kepada Koordinator untuk disposisi"
    asker: str  # the role that asked for more data (information requested): "Kepala Seksi"


def _join(phrases: list[str], last: str) -> str:
    """``a, b, <last> c``; a single phrase alone."""
    if len(phrases) < 2:
        return "".join(phrases)
    return f"{', '.join(phrases[:-1])}, {last} {phrases[-1]}"


def _and(phrases: list[str]) -> str:
    """``a, b dan c``."""
    if len(phrases) < 2:
        return "".join(phrases)
    return f"{', '.join(phrases[:-1])} dan {phrases[-1]}"


def _by(step: sop.Step) -> str:
    return f" oleh {sop.ROLE_TITLES[step.role]}"


def _completed(kind: NotificationKind) -> tuple[str, str]:
    """What the step whose completion ``kind`` reports did, and who has the case now."""
    told = next((s for s in sop.STEPS if s.tells_complainant == kind.value), None)
    if told is None or told.told is None:
        return "", ""
    following = sop.next_step(told)
    long = f"{told.told.done} oleh {sop.ROLE_TITLES[told.role]}"
    short = f"{told.told.done_short} {sop.ROLE_SHORT_LABELS[told.role]}"
    if following is not None:
        long += f", dan kini diteruskan kepada {sop.ROLE_TITLES[following.role]}"
        short += f" dan diteruskan kepada {sop.ROLE_SHORT_LABELS[following.role]}"
        if following.told is not None:
            long += f" untuk {following.told.handed_for}"
            short += f" untuk {following.told.handed_for_short}"
    return long, short


def _asker(kind: NotificationKind) -> str:
    asking = next((p for p in sop.PATHS if p.status == kind.value), None)
    role = sop.step(asking.step).role if asking else sop.reply_reader(sop.STEPS, sop.PATHS)
    return sop.ROLE_TITLES[role]


def sop_words(kind: NotificationKind) -> SopWords:
    """The SOP's words for a notification of ``kind``, from the SOP as it is now."""
    told = [s for s in sop.STEPS if s.told is not None]
    done = [s.told.done for s in told if s.told is not None]
    last = _by(told[-1]) if told else ""
    first = told[0].told if told and told[0].told is not None else None
    completed, completed_short = _completed(kind)
    desk = sop.complainant_desk()
    return SopWords(
        desk=sop.ROLE_TITLES[desk],
        desk_short=sop.ROLE_SHORT_LABELS[desk],
        first_told=(f"{sop.ROLE_TITLES[told[0].role]} untuk {first.handed_for}" if first else ""),
        then_told=_and(done[1:]) + last,
        all_told=_join(done, "lalu") + last,
        done=completed,
        done_short=completed_short,
        asker=_asker(kind),
    )
