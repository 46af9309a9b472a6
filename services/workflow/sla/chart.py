"""The Mutu Baku chart's geometry: one horizontal bar per SOP step, its length the share of
completions within the step's standard. Drawn as SVG by the console's template; no script."""

from __future__ import annotations

from dataclasses import dataclass

from services.workflow.sla.report import StepFigures, role_label

# Narrow, so that a phone shows it near its own size: its 15-unit text (console.css) stays 14 px
# or more in a 294 px wide chart (tests/browser/test_every_page.py measures it).
# The label is two lines (the step, then its role), so the longest role fits the width too.
WIDTH = 300
ROW_HEIGHT = 72
LINE_HEIGHT = 19
LABEL_HEIGHT = 2 * LINE_HEIGHT + 4
BAR_HEIGHT = 20
TRACK_WIDTH = 180  # the rest of the width holds the figure beside the bar ("tidak ada data")


@dataclass(frozen=True)
class Bar:
    step: int
    label: str  # one line, for the bar's title
    step_text: str
    role_text: str
    share: float | None
    value_text: str
    label_y: int
    role_y: int
    bar_y: int
    width: float
    text_x: float
    text_y: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    track_width: int
    bar_height: int
    bars: tuple[Bar, ...]


def share_chart(rows: list[StepFigures]) -> Chart:
    bars = []
    for index, row in enumerate(rows):
        top = index * ROW_HEIGHT
        share = row.durations.within_standard_share
        value = "tidak ada data" if share is None else f"{round(share * 100)}%"
        bars.append(
            Bar(
                step=row.step,
                label=f"Langkah {row.step} · {role_label(row.role)}",
                step_text=f"Langkah {row.step}",
                role_text=role_label(row.role),
                share=share,
                value_text=value,
                label_y=top + LINE_HEIGHT - 4,
                role_y=top + 2 * LINE_HEIGHT - 4,
                bar_y=top + LABEL_HEIGHT,
                width=round(TRACK_WIDTH * (share or 0.0), 1),
                text_x=TRACK_WIDTH + 8,
                text_y=top + LABEL_HEIGHT + BAR_HEIGHT - 4,
            )
        )
    return Chart(
        width=WIDTH,
        height=max(len(rows), 1) * ROW_HEIGHT,
        track_width=TRACK_WIDTH,
        bar_height=BAR_HEIGHT,
        bars=tuple(bars),
    )
