"""The statuses after the answer as intake holds them, and how the complainant reads them.

``reopen_requested`` is intake's own (as ``information_supplied`` is): the complainant asked,
the workflow's next status change (a reopening, or the close) replaces it. ``closed`` is the
workflow's, set by its sweep when the window passed with no reopening; the SOP names it and
its label (``shared.sop.REOPENING``)."""

from __future__ import annotations

from shared.sop import REOPENING, STATUS_LABELS

REOPEN_REQUESTED = "reopen_requested"
CLOSED = REOPENING.closed

# Said while the workflow has the request and no status came back yet.
REOPEN_REQUESTED_LABEL = "Permintaan dibuka kembali sedang diproses"

AFTER_ANSWER_LABELS = {
    REOPEN_REQUESTED: REOPEN_REQUESTED_LABEL,
    CLOSED: STATUS_LABELS[CLOSED],
}
