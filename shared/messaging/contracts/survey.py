"""The SKM survey a complainant answers after rating an answer (``shared.skm``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from shared.messaging.contracts.messages import Message
from shared.skm import ELEMENTS

Score = Annotated[int, Field(ge=1, le=4)]


class SurveyAnsweredV1(Message):
    """intake -> workflow: the complainant's SKM answers for one answer (the one sent at
    ``answered_at``): the nine elements' scores, U1..U9 in order. Once per answer."""

    version: Literal[1] = 1
    tracking_code: str
    answered_at: datetime
    scores: tuple[Score, ...] = Field(min_length=len(ELEMENTS), max_length=len(ELEMENTS))
