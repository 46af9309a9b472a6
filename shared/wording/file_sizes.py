"""A file's size as a person reads it in Indonesian: ``850 KB``, ``1,2 MB`` (decimal comma)."""

from __future__ import annotations

KIB = 1024
MIB = 1024 * KIB


def size_words(size: int) -> str:
    if size < KIB:
        return f"{size} bita"
    if size < MIB:
        return f"{max(1, round(size / KIB))} KB"
    text = f"{size / MIB:.1f}".replace(".", ",").removesuffix(",0")
    return f"{text} MB"
