"""The SOP's figures as a sentence says them: how many steps, each step's standard time."""

from __future__ import annotations

from shared.sop import STEPS


def uniform_standard_minutes() -> int | None:
    """The standard time every step shares, or ``None`` when the steps' standards differ."""
    minutes = {s.standard_minutes for s in STEPS}
    return minutes.pop() if len(minutes) == 1 else None


def standard_minutes_each() -> str:
    """Each step's standard time, one figure per step, as staff read it."""
    each = ", ".join(f"langkah {s.number}: {s.standard_minutes} menit" for s in STEPS)
    return f"{each} (jam kerja)"


NUMBER_WORDS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan")


def step_count_words() -> str:
    """How many steps the SOP has, as a sentence says it ("lima langkah")."""
    count = len(STEPS)
    return f"{NUMBER_WORDS[count] if count < len(NUMBER_WORDS) else count} langkah"
