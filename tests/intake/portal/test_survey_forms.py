"""The tracking page's SKM survey: offered once the answer is rated (not before), the nine
questions of Permenpan RB 14/2017 each a fieldset of four radio buttons; sent with the CSRF token
and the access cookie, thanked for, and not offered again for that answer; an unanswered
question named on its own fieldset, with nothing stored."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from shared.messaging.contracts import WORKFLOW_SURVEY_TASK, SurveyAnsweredV1
from shared.skm import CODES, ELEMENTS
from tests.intake.conftest import answer, outbox_rows, row_counts
from tests.intake.portal.conftest import assert_clean_page, form

ANSWERS = {"U1": "4", "U2": "3", "U3": "2", "U4": "4", "U5": "3", "U6": "3", "U7": "4"}
ALL = {**ANSWERS, "U8": "1", "U9": "3"}


def shown(page: str) -> str:
    return " ".join(page.split())


def rate(portal: TestClient, code: str, score: str = "4") -> None:
    rated = portal.post(f"/lacak/{code}/penilaian", data=form(portal, score=score))
    assert rated.status_code == 200, rated.text  # followed to the page


def test_the_survey_is_offered_only_after_the_rating(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    answer(code)
    assert f'action="/lacak/{code}/survei"' not in portal.get(f"/lacak/{code}").text

    response = portal.post(f"/lacak/{code}/penilaian", data=form(portal, score="3"))
    page = shown(response.text)

    assert_clean_page(response)
    assert f'action="/lacak/{code}/survei"' in page
    assert "Survei kepuasan (tidak wajib)" in page
    assert page.count("<fieldset") == len(ELEMENTS)
    for number, element in enumerate(ELEMENTS, start=1):
        assert f"<legend>{number}. {element.question}</legend>" in page
    for code_ in CODES:
        labels = re.findall(
            rf'<input type="radio" id="{code_}[^"]*" name="{code_}" value="(\d)"', page
        )
        assert labels == ["1", "2", "3", "4"]
    for words in ("Tidak baik", "Kurang baik", "Baik", "Sangat baik"):
        assert f">{words}</label>" in page


def test_a_survey_is_sent_thanked_for_and_not_offered_again(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    answer(code)
    rate(portal, code)
    response = portal.post(
        f"/lacak/{code}/survei", data=form(portal, **ALL), follow_redirects=False
    )
    assert response.status_code == 303
    page = shown(portal.get(response.headers["location"]).text)

    assert "Terima kasih, jawaban survei kepuasan Anda telah kami terima." in page
    assert "Anda telah mengisi Survei Kepuasan Masyarakat untuk jawaban ini" in page
    assert f'action="/lacak/{code}/survei"' not in page
    [message] = [
        SurveyAnsweredV1.model_validate(r.payload)
        for r in outbox_rows()
        if r.task_name == WORKFLOW_SURVEY_TASK
    ]
    assert message.scores == (4, 3, 2, 4, 3, 3, 4, 1, 3)

    before = row_counts()
    again = portal.post(f"/lacak/{code}/survei", data=form(portal, **ALL))
    assert again.status_code == 409
    assert "Survei kepuasan tidak dapat dikirim" in again.text
    assert "sudah Anda isi" in again.text
    assert row_counts() == before


def test_an_unanswered_question_is_named_and_the_choices_are_kept(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    answer(code)
    rate(portal, code)
    before = row_counts()

    response = portal.post(f"/lacak/{code}/survei", data=form(portal, **ANSWERS, U9="7"))

    assert response.status_code == 422
    page = shown(response.text)
    assert (
        '<a href="#U8">Pilih salah satu jawaban untuk pertanyaan 8 (penanganan pengaduan, '
        "saran dan masukan)</a>" in page
    )
    assert '<a href="#U9">Pertanyaan 9 (Sarana dan prasarana): harus 1, 2, 3 atau 4' in page
    assert 'id="U1-4" name="U1" value="4" checked>' in page  # what was chosen stays chosen
    assert row_counts() == before


def test_a_survey_before_the_rating_is_refused_in_words(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    answer(code)
    before = row_counts()
    response = portal.post(f"/lacak/{code}/survei", data=form(portal, **ALL))
    assert response.status_code == 409
    assert "Nilai jawaban pengaduan terlebih dahulu" in response.text
    assert row_counts() == before
