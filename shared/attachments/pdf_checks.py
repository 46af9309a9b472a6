"""A PDF is stored as sent, so it must be one that only shows pages: complete, not encrypted
(staff could not open it), and without what a reader runs or unpacks on its own (JavaScript,
launch and other actions, embedded files, XFA forms, rich media). Checked with pypdf by walking
every object reachable from the file's trailer."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

from shared.attachments import rejections

# Keys whose presence anywhere means active or hidden content (pypdf's names compare equal to
# plain strings, escapes such as /J#53 already decoded).
ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/AA", "/Launch", "/EmbeddedFiles", "/EF", "/RichMedia", "/XFA"}
)
# Action types (an action dictionary's /S) that run, send or fetch something (GoToR opens
# another file, on Windows a UNC path that hands out the user's credentials).
ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/ImportData",
        "/SubmitForm",
        "/GoToE",
        "/GoToR",
        "/RichMediaExecute",
    }
)
MAX_OBJECTS = 200_000  # more is no scanned letter: refused rather than walked for long
# The end of a complete PDF; a truncated upload lacks it (pypdf alone would repair around it).
EOF_MARKER = b"%%EOF"
EOF_WINDOW = 1024

# pypdf logs each repair it makes of a sloppy but readable file; those are no news here.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def _has_active_content(reader: PdfReader) -> bool:
    root = reader.trailer["/Root"].get_object()
    if not isinstance(root, DictionaryObject):
        raise rejections.corrupt()  # no catalogue: no PDF a reader would show
    # /OpenAction as a destination (open at a page) is common and harmless; as an action
    # dictionary it runs something when the file is opened.
    open_action = root.get("/OpenAction")
    if open_action is not None and isinstance(open_action.get_object(), DictionaryObject):
        return True
    seen: set[tuple[int, int]] = set()
    pending: list[PdfObject] = [reader.trailer]
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            ident = (item.idnum, item.generation)
            if ident in seen:
                continue
            seen.add(ident)
            if len(seen) > MAX_OBJECTS:
                return True
            target = item.get_object()
            if target is not None:
                pending.append(target)
        elif isinstance(item, DictionaryObject):
            if ACTIVE_KEYS.intersection(item.keys()):
                return True
            if item.get("/S") in ACTIVE_ACTIONS or item.get("/Type") == "/EmbeddedFile":
                return True
            pending.extend(value for key, value in item.items() if key != "/Parent")
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return False


@contextmanager
def _corrupt_when_broken() -> Iterator[None]:
    """pypdf's errors, and whatever a malformed object graph makes it raise on the way
    (KeyError, RecursionError, zlib.error...), as the upload's refusal: never a 500."""
    try:
        yield
    except rejections.UploadRejected:
        raise
    except Exception:
        raise rejections.corrupt() from None


def check_pdf(data: bytes) -> None:
    """Returns when ``data`` is a PDF the office may store; else ``UploadRejected`` (422)."""
    if EOF_MARKER not in data[-EOF_WINDOW:]:
        raise rejections.corrupt()
    with _corrupt_when_broken():
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    if encrypted:
        raise rejections.pdf_encrypted()
    with _corrupt_when_broken():
        pages = len(reader.pages)
        active = pages > 0 and _has_active_content(reader)
    if pages == 0:
        raise rejections.corrupt()
    if active:
        raise rejections.pdf_active_content()
