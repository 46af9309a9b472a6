"""The files chosen in a portal form (the filing form, the reply form): judged before anything
is filed or sent, so a refused file leaves the form to correct, never half a filing."""

from __future__ import annotations

from services.intake.filing import attachments
from services.intake.portal.forms import FILES_FIELD, FormFields
from shared.attachments.inspection import Inspected
from shared.wording.file_sizes import size_words

ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif,application/pdf"
CHOOSE_AGAIN = "Pilih kembali lampiran Anda sebelum mengirim lagi."


def attachment_hint() -> str:
    """What the file input says of its limits (from the settings)."""
    return (
        f"Lampiran (foto atau PDF), paling banyak {attachments.max_files()} berkas, "
        f"masing-masing {size_words(attachments.max_bytes())}."
    )


def judge_files(form: FormFields) -> tuple[list[Inspected], dict[str, str]]:
    """The form's files made safe to keep, or the error to show on the file input."""
    if len(form.files) > attachments.max_files():
        return [], {FILES_FIELD: attachments.too_many_message()}
    kept: list[Inspected] = []
    for upload in form.files:
        try:
            kept.append(attachments.inspect(attachments.read_upload(upload.file), upload.filename))
        except attachments.UploadRefused as exc:
            return [], {FILES_FIELD: f"{_shown(upload.filename)}: {exc.message}"}
    return kept, {}


def choose_again(form: FormFields, errors: dict[str, str]) -> dict[str, str]:
    """A browser does not keep a file input's choice on a page sent back: say so, when files
    were chosen and the form is sent back for another field."""
    if form.files and FILES_FIELD not in errors:
        return {**errors, FILES_FIELD: CHOOSE_AGAIN}
    return errors


def _shown(name: str | None) -> str:
    printable = "".join(c for c in (name or "") if c.isprintable()).strip()
    return printable[:100] or "Berkas tanpa nama"
