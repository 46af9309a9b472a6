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
