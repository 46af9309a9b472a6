"""The portal's forms: a laporan pengaduan, a reply to the office, and after the answer its
rating, the SKM survey and a request to reopen it, read and judged as
``shared.web.forms`` reads every form, by the models the JSON API uses."""

from __future__ import annotations

from typing import Any

from services.intake.feedback.schemas import RatingIn, ReopenIn, SurveyScores
from services.intake.filing.schemas import ReplyIn
from shared.messaging.contracts import Identity
from shared.messaging.contracts.filing import (
    COMPLAINT_LABELS,
    ComplaintIn,
    ReporterIn,
    complaint_data,
    complaint_field,
)
from shared.skm import CODES, ELEMENTS
from shared.web.form_limits import text_limits
from shared.web.forms import (
    UNREADABLE_MESSAGE,
    FormFields,
    Judged,
    first_part,
    form_fields,
    judge,
)
from shared.wording.privacy import CONSENT_VALUE

__all__ = [
    "FILES_FIELD",
    "FORM_LIMITS",
    "UNREADABLE_MESSAGE",
    "FormFields",
    "complaint_values",
    "consented",
    "form_fields",
    "judge_complaint",
    "judge_rating",
    "judge_reopen",
    "judge_reply",
    "judge_survey",
]

REPLY_LABELS = {"message": "Balasan Anda"}
# The file input of the forms that take attachments (the filing form, the reply form).
FILES_FIELD = "lampiran"
# What the forms' fields say of their length (maxlength, minlength): the models' own limits.
FORM_LIMITS = {
    "complaint": {**text_limits(ReporterIn), **text_limits(ComplaintIn)},
    "reply": text_limits(ReplyIn),
    "rating": text_limits(RatingIn),
    "reopen": text_limits(ReopenIn),
}
RATING_LABELS = {"score": "Penilaian", "comment": "Tanggapan"}
REOPEN_LABELS = {"reason": "Alasan dibuka kembali"}
CHOOSE_A_SCORE = "Pilih salah satu penilaian"
SURVEY_LABELS = {e.code: f"Pertanyaan {n} ({e.name})" for n, e in enumerate(ELEMENTS, start=1)}


def complaint_values(form: FormFields) -> dict[str, Any]:
    """What the citizen typed, to show it again."""
    values: dict[str, Any] = {name: form.get(name) for name in COMPLAINT_LABELS}
    values["channels"] = form.getlist("channels")
    values["identity"] = form.get("identity") or Identity.SHOWN.value
    values["consent"] = form.getlist("consent")
    return values


def judge_complaint(form: FormFields) -> Judged[ComplaintIn]:
    # The portal always asks: a box left unticked is a consent not given, refused.
    data = {**complaint_data(form.get, form.getlist), "consent": consented(form)}
    return judge(ComplaintIn, data, COMPLAINT_LABELS, complaint_field, form)


def consented(form: FormFields) -> bool:
    """Whether the form's consent box (the portal's, the console's) was ticked."""
    return form.get("consent") == CONSENT_VALUE


def judge_reply(form: FormFields) -> Judged[ReplyIn]:
    data = {"message": form.get("message")}
    return judge(ReplyIn, data, REPLY_LABELS, first_part, form)


def judge_rating(form: FormFields) -> Judged[RatingIn]:
    """The score comes as the chosen radio button's text; the model wants the number."""
    score = form.get("score").strip()
    data = {"score": int(score) if score.isdecimal() else score, "comment": form.get("comment")}
    judged = judge(RatingIn, data, RATING_LABELS, first_part, form)
    if not score and form.readable:  # none chosen: say what to do, not "wajib diisi"
        errors = {**judged.errors, "score": CHOOSE_A_SCORE}
        return Judged(None, {name: errors[name] for name in RATING_LABELS if name in errors})
    return judged


def judge_reopen(form: FormFields) -> Judged[ReopenIn]:
    return judge(ReopenIn, {"reason": form.get("reason")}, REOPEN_LABELS, first_part, form)


def judge_survey(form: FormFields) -> Judged[SurveyScores]:
    """Each question's chosen radio button; a question left unanswered is said by its number."""
    chosen = {code: form.get(code).strip() for code in CODES}
    data = {code: int(v) if v.isdecimal() else v for code, v in chosen.items() if v}
    judged = judge(SurveyScores, data, SURVEY_LABELS, first_part, form)
    if judged.model is not None or not form.readable:
        return judged
    errors = {
        **judged.errors,
        **{
            code: f"Pilih salah satu jawaban untuk {SURVEY_LABELS[code].lower()}"
            for code, v in chosen.items()
            if not v
        },
    }
    return Judged(None, {code: errors[code] for code in SURVEY_LABELS if code in errors})
