"""The PDF's typeface: DejaVu Sans when the machine has it (any character prints), else the
PDF's own Helvetica, which knows Latin-1 only, so the text is mapped to it first (the slim
container image ships no font files; a dash or a quote typed by staff must not break the file).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

# Where Debian's fonts-dejavu-core (and most distributions) put it.
FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
)
REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"
FAMILY = "DejaVu"
CORE_FAMILY = "Helvetica"

# Characters outside Latin-1 that the office's words and staff's typing commonly hold.
LATIN1_STANDINS = {
    "\N{EN DASH}": "-",
    "\N{EM DASH}": "-",
    "\N{MINUS SIGN}": "-",
    "\N{NON-BREAKING HYPHEN}": "-",
    "\N{LEFT SINGLE QUOTATION MARK}": "'",
    "\N{RIGHT SINGLE QUOTATION MARK}": "'",
    "\N{LEFT DOUBLE QUOTATION MARK}": '"',
    "\N{RIGHT DOUBLE QUOTATION MARK}": '"',
    "\N{HORIZONTAL ELLIPSIS}": "...",
    "\N{BULLET}": "\N{MIDDLE DOT}",
    "\N{LESS-THAN OR EQUAL TO}": "<=",
    "\N{GREATER-THAN OR EQUAL TO}": ">=",
    "\N{NARROW NO-BREAK SPACE}": " ",
    "\N{EURO SIGN}": "EUR",
}


@dataclass(frozen=True)
class Typeface:
    family: str
    unicode: bool

    def text(self, words: str) -> str:
        """What the font can print of ``words``: everything, or its Latin-1 stand-ins ("?" for
        what has none)."""
        if self.unicode:
            return words
        for character, standin in LATIN1_STANDINS.items():
            words = words.replace(character, standin)
        return words.encode("latin-1", "replace").decode("latin-1")


def unicode_font_dir(dirs: tuple[Path, ...] = FONT_DIRS) -> Path | None:
    for folder in dirs:
        if (folder / REGULAR).is_file() and (folder / BOLD).is_file():
            return folder
    return None


def load_typeface(pdf: FPDF, dirs: tuple[Path, ...] = FONT_DIRS) -> Typeface:
    folder = unicode_font_dir(dirs)
    if folder is None:
        return Typeface(CORE_FAMILY, unicode=False)
    pdf.add_font(FAMILY, "", str(folder / REGULAR))
    pdf.add_font(FAMILY, "B", str(folder / BOLD))
    return Typeface(FAMILY, unicode=True)
