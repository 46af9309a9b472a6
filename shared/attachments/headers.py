"""The headers every answer carrying an attachment's bytes sends (intake's and the workflow's
alike): always a download, never sniffed into another type, never run as a page, never cached
by a shared cache (an attachment is personal data)."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

ASCII_FALLBACK = "lampiran"


def _ascii_name(filename: str) -> str:
    # For clients without RFC 6266's filename*: the name folded to ASCII, quotes and
    # backslashes out (the safe name already has no control characters).
    folded = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    folded = "".join(c for c in folded if c not in '"\\' and c.isprintable()).strip()
    stem, dot, extension = folded.rpartition(".")
    if not dot:
        return folded or ASCII_FALLBACK
    return f"{stem.strip() or ASCII_FALLBACK}.{extension}"


def download_headers(filename: str, media_type: str) -> dict[str, str]:
    """``filename`` is the safe display name (``Inspected.filename``), ``media_type`` the type
    decided from the content."""
    return {
        "Content-Type": media_type,
        "Content-Disposition": (
            f'attachment; filename="{_ascii_name(filename)}"; '
            f"filename*=UTF-8''{quote(filename, safe='')}"
        ),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
    }
