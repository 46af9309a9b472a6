"""A heading that repeats the button below it says nothing (issue 21, "Words"): the texts of a
page's headings and of its buttons, to check that none is both."""

from __future__ import annotations

import re

_TAG = re.compile(r"<[^>]+>")


def _texts(page: str, tag: str) -> set[str]:
    found = re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", page, flags=re.DOTALL)
    return {" ".join(_TAG.sub("", text).split()).lower() for text in found}


def headings_repeated_as_buttons(page: str) -> set[str]:
    headings = set().union(*(_texts(page, f"h{n}") for n in range(1, 7)))
    return headings & _texts(page, "button")
