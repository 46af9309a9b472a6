"""How long an SMS is: its encoding (GSM-7 or UCS-2) and how many segments it takes.

Written here by hand: of the PyPI packages looked at, ``smspdudecoder`` decodes PDUs and
``gsm0338`` is a text codec only; neither counts segments, and ``sms-segments`` does not exist
there. The rules are short (3GPP TS 23.038 and 23.040).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

# GSM 03.38 basic character set (the escape 0x1B itself excluded) and its extension table,
# whose characters take two septets (escape + character).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

MAX_SEGMENTS = 3

# (one segment alone, each segment of a concatenated message): the user data header of a
# concatenated SMS takes 7 septets (GSM-7) or 3 UCS-2 characters.
LIMITS = {"GSM-7": (160, 153), "UCS-2": (70, 67)}


@dataclass(frozen=True)
class SmsLength:
    encoding: Literal["GSM-7", "UCS-2"]
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int


def measure(text: str) -> SmsLength:
    """The encoding a phone network uses for ``text`` and the segments it is billed as."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text):
        encoding: Literal["GSM-7", "UCS-2"] = "GSM-7"
        units = sum(2 if c in GSM7_EXTENSION else 1 for c in text)
    else:
        encoding = "UCS-2"
        units = len(text.encode("utf-16-le")) // 2  # an emoji is two code units
    single, each = LIMITS[encoding]
    segments = 1 if units <= single else math.ceil(units / each)
    return SmsLength(encoding=encoding, units=units, segments=segments)


def fit(text: str, *, link: str, max_segments: int = MAX_SEGMENTS) -> str:
    """``text`` if it fits in ``max_segments``, else its start (cut at a word) followed by
    "... Selengkapnya: <link>". Three ASCII dots, not "…": the ellipsis is not GSM-7 and would
    switch a whole message to UCS-2, 70 characters a segment instead of 160."""
    if measure(text).segments <= max_segments:
        return text
    tail = f"... Selengkapnya: {link}"
    low, high = 0, len(text)  # the longest prefix that still fits, by bisection
    while low < high:
        mid = (low + high + 1) // 2
        if measure(text[:mid].rstrip() + tail).segments <= max_segments:
            low = mid
        else:
            high = mid - 1
    head = text[:low]
    if low < len(text) and not text[low].isspace() and " " in head:
        head = head.rsplit(" ", 1)[0]  # do not cut a word in two
    return head.rstrip() + tail
