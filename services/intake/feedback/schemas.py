"""What the complainant sends after the answer, and what they are told back. The messages a
citizen reads are in Bahasa Indonesia (``shared.web.api_errors`` passes the ``ValueError``
sentences through as they are)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

from services.intake.models import Rating, Survey
from shared.messaging.contracts.filing import Paragraphs, Strict
from shared.skm import CODES, ELEMENTS, SCALE_LABELS
from shared.sop import REOPENING

# The SKM survey's (Survei Kepuasan Masyarakat) four answers; which are *puas* is the SOP's
# (``shared.sop.REOPENING``).
SCORE_LABELS = {4: "Sangat baik", 3: "Baik", 2: "Kurang baik", 1: "Tidak baik"}
COMMENT_MAX = 2000
REASON_MAX = 2000


def satisfaction(score: int) -> str:
    return "puas" if REOPENING.is_satisfied(score) else "tidak puas"


class RatingIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={"description": "Penilaian Anda atas jawaban pengaduan"}
    )

    score: StrictInt = Field(
        description="Nilai menurut skala Survei Kepuasan Masyarakat: 4 sangat baik, 3 baik "
        "(puas), 2 kurang baik, 1 tidak baik (tidak puas)",
        examples=[4],
    )
    # Text, not optional text: pydantic would count a too long optional text in "items".
    comment: Paragraphs = Field(
        default="",
        max_length=COMMENT_MAX,
        description="Tanggapan Anda (boleh kosong); bila tidak puas, menjadi alasan laporan "
        "pengaduan dibuka kembali",
        examples=["Izin sudah terbit, terima kasih."],
    )

    @field_validator("score")
    @classmethod
    def _on_the_scale(cls, value: int) -> int:
        if value not in SCORE_LABELS:
            raise ValueError(
                "harus 1, 2, 3 atau 4 (4 sangat baik, 3 baik, 2 kurang baik, 1 tidak baik)"
            )
        return value

    @field_validator("comment", mode="before")
    @classmethod
    def _null_is_blank(cls, value: object) -> object:
        return "" if value is None else value


class ReopenIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={"description": "Permintaan agar laporan pengaduan dibuka kembali"}
    )

    reason: Paragraphs = Field(
        min_length=1,
        max_length=REASON_MAX,
        description="Alasan laporan pengaduan perlu dibuka kembali",
        examples=["Izin belum dapat diunduh di OSS; tautan yang diberikan tidak berfungsi."],
    )


class RatingOut(BaseModel):
    score: int = Field(description="Nilai 1-4 (skala Survei Kepuasan Masyarakat)")
    label: str = Field(description="Nilai dalam kata: Sangat baik, Baik, Kurang baik, Tidak baik")
    satisfaction: str = Field(description="puas (nilai 3-4) atau tidak puas (nilai 1-2)")
    comment: str | None = Field(default=None, description="Tanggapan Anda")
    rated_at: datetime

    @classmethod
    def of(cls, rating: Rating) -> RatingOut:
        return cls(
            score=rating.score,
            label=SCORE_LABELS[rating.score],
            satisfaction=satisfaction(rating.score),
            comment=rating.comment,
            rated_at=rating.created_at,
        )


class RatedOut(BaseModel):
    tracking_code: str
    status: str = Field(description="Status laporan pengaduan (kode tetap)")
    rating: RatingOut
    message: str


class ReopenOut(BaseModel):
    tracking_code: str
    status: str = Field(description="Status laporan pengaduan (kode tetap)")
    message: str


# The SKM survey: the nine elements of Permenpan RB 14/2017 (``shared.skm``), each 1-4.
OFF_THE_SCALE = "harus 1, 2, 3 atau 4 (1 tidak baik, 2 kurang baik, 3 baik, 4 sangat baik)"


def _element(number: int) -> Any:
    element = ELEMENTS[number - 1]
    return Field(description=f"{element.name}: {element.question}", examples=[4])


class SurveyScores(Strict):
    """The nine answers by element code; every one is needed (the IKM counts complete answers)."""

    model_config = ConfigDict(
        json_schema_extra={
            "description": "Jawaban Anda untuk sembilan unsur pelayanan (U1-U9), masing-masing "
            "1 tidak baik, 2 kurang baik, 3 baik, 4 sangat baik"
        }
    )

    U1: StrictInt = _element(1)
    U2: StrictInt = _element(2)
    U3: StrictInt = _element(3)
    U4: StrictInt = _element(4)
    U5: StrictInt = _element(5)
    U6: StrictInt = _element(6)
    U7: StrictInt = _element(7)
    U8: StrictInt = _element(8)
    U9: StrictInt = _element(9)

    @field_validator(*CODES)
    @classmethod
    def _on_the_scale(cls, value: int) -> int:
        if value not in SCALE_LABELS:
            raise ValueError(OFF_THE_SCALE)
        return value

    def in_order(self) -> tuple[int, ...]:
        """U1..U9, as the message and the tables keep them."""
        return tuple(int(getattr(self, code)) for code in CODES)


class SurveyIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={"description": "Survei Kepuasan Masyarakat atas jawaban pengaduan"}
    )

    scores: SurveyScores


class SurveyOut(BaseModel):
    scores: dict[str, int] = Field(description="Jawaban Anda per unsur, U1-U9 (1-4)")
    surveyed_at: datetime

    @classmethod
    def of(cls, survey: Survey) -> SurveyOut:
        return cls(
            scores=dict(zip(CODES, survey.scores, strict=True)), surveyed_at=survey.created_at
        )


class SurveyedOut(BaseModel):
    tracking_code: str
    survey: SurveyOut
    message: str
