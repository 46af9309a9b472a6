"""The name an attachment is shown and downloaded under, made from the name the client sent:
never a path, never a character that hides or reorders text, its extension the detected type's."""

from __future__ import annotations

import unicodedata

FALLBACK_STEM = "lampiran"
MAX_STEM = 100  # code points; with the extension it stays well inside a filesystem's 255 bytes
# Characters a filename may not carry on some system, or that quote or split a header's value.
_FORBIDDEN = set('<>:"/\\|?*;')


def _kept(character: str) -> bool:
    # Category C* are control, format (bidi overrides, zero-width), surrogate and unassigned.
    return not unicodedata.category(character).startswith("C") and character not in _FORBIDDEN


# Bidi embeddings, overrides and isolates, and the marks: they make "gpj.sh" read as "hs.jpg".
_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_hostile_filename(raw: str | None) -> bool:
    """A name no browser sends for a file a person picked: a path (a browser sends the last
    segment only), a control character (a header split, a terminal escape) or a bidi control.
    Such an upload is refused whole rather than renamed (issue 22's hostile uploads)."""
    name = raw or ""
    return any(c in "/\\" or c in _BIDI or unicodedata.category(c) == "Cc" for c in name)


def safe_filename(raw: str | None, extension: str) -> str:
    """``raw``'s last path segment, NFC, without control or bidi characters, bounded, ending in
    ``.extension``; ``lampiran.<extension>`` when nothing is left."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    # Any run of whitespace (tab, newline, NBSP) is one space; then the invisible characters go.
    name = "".join(" " if c.isspace() else c for c in name if c.isspace() or _kept(c))
    name = " ".join(name.split())
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    stem = stem.strip(" .")[:MAX_STEM].rstrip(" .")
    return f"{stem or FALLBACK_STEM}.{extension}"
