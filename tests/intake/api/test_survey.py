"""The SKM survey through the citizens' API: after the rating, once per answer, all nine
elements of Permenpan RB 14/2017 scored 1-4, kept and sent to the workflow through the outbox in
the same transaction; every refusal a 409 or a 422 in Indonesian with nothing stored."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.intake.api.app import create_app
from shared.messaging.celery_app import task_routes
from shared.messaging.contracts import WORKFLOW_SURVEY_TASK, SurveyAnsweredV1
from shared.skm import CODES
from shared.sop import complainant_desk
from tests.intake.conftest import (
    answer,
    file,
    headers,
    outbox_rows,
    row_counts,
    set_settings,
    status_change,
    track,
)

SCORES = {"U1": 4, "U2": 3, "U3": 2, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 1, "U9": 3}


@pytest.fixture
def api(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    set_settings(monkeypatch, tracking_limit="1000/minute")
    with TestClient(create_app()) as client:
        yield client


@pytest.fixture
def filed(api: TestClient) -> dict[str, Any]:
    return file(api)


@pytest.fixture
def rated(api: TestClient, filed: dict[str, Any]) -> dict[str, Any]:
    """Answered, and the answer rated (puas)."""
    answer(filed["tracking_code"])
    assert rate(api, filed, 4).status_code == 201
    return filed


def rate(api: TestClient, filed: dict[str, Any], score: int) -> Any:
    code = filed["tracking_code"]
    return api.post(
        f"/api/v1/complaints/{code}/rating", json={"score": score}, headers=headers(filed)
    )


def survey(api: TestClient, filed: dict[str, Any], body: Any) -> Any:
    code = filed["tracking_code"]
    return api.post(f"/api/v1/complaints/{code}/survey", json=body, headers=headers(filed))


def sent() -> list[SurveyAnsweredV1]:
    return [
        SurveyAnsweredV1.model_validate(r.payload)
        for r in outbox_rows()
        if r.task_name == WORKFLOW_SURVEY_TASK
    ]


def refused(response: Any, status: int, code: str, words: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    assert words in response.json()["message"]


def test_a_survey_is_kept_sent_to_the_workflow_and_shown(
    api: TestClient, rated: dict[str, Any]
) -> None:
    response = survey(api, rated, {"scores": SCORES})

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["survey"]["scores"] == SCORES
    assert body["message"].startswith("Terima kasih")
    [message] = sent()
    tracked = track(api, rated["tracking_code"], rated["access_token"])
    assert message.tracking_code == rated["tracking_code"]
    assert message.scores == (4, 3, 2, 4, 3, 3, 4, 1, 3)  # U1..U9 in order
    assert message.answered_at.isoformat() == tracked["answered_at"].replace("Z", "+00:00")
    assert tracked["survey"]["scores"] == SCORES


def test_the_same_answer_is_surveyed_once(api: TestClient, rated: dict[str, Any]) -> None:
    assert survey(api, rated, {"scores": SCORES}).status_code == 201
    before = row_counts()

    again = survey(api, rated, {"scores": {**SCORES, "U1": 1}})

    refused(again, 409, "already_surveyed", "sudah Anda isi")
    assert row_counts() == before
    assert len(sent()) == 1


def test_an_answer_not_rated_is_not_surveyed(api: TestClient, filed: dict[str, Any]) -> None:
    answer(filed["tracking_code"])
    before = row_counts()
    refused(survey(api, filed, {"scores": SCORES}), 409, "not_rated", "Nilai jawaban")
    assert row_counts() == before


def test_before_any_answer_nothing_is_surveyed(api: TestClient, filed: dict[str, Any]) -> None:
    before = row_counts()
    refused(survey(api, filed, {"scores": SCORES}), 409, "not_answered", "belum dijawab")
    assert row_counts() == before


def test_a_tidak_puas_answer_may_be_surveyed_while_the_case_is_handled_again(
    api: TestClient, filed: dict[str, Any]
) -> None:
    code = filed["tracking_code"]
    answer(code)
    assert rate(api, filed, 1).status_code == 201  # asks for the reopening at once
    status_change(code, "verifying", 12, note="Belum terbit.")

    assert survey(api, filed, {"scores": SCORES}).status_code == 201


def test_the_new_answer_of_a_reopened_case_is_surveyed_anew(
    api: TestClient, filed: dict[str, Any]
) -> None:
    code = filed["tracking_code"]
    answer(code)
    assert rate(api, filed, 2).status_code == 201
    assert survey(api, filed, {"scores": SCORES}).status_code == 201
    status_change(code, "verifying", 12)
    answer(code, "Izin usaha Anda terbit hari ini; silakan unduh di OSS.")

    assert track(api, code, filed["access_token"])["survey"] is None
    refused(survey(api, filed, {"scores": SCORES}), 409, "not_rated", "Nilai jawaban")
    assert rate(api, filed, 4).status_code == 201
    assert survey(api, filed, {"scores": SCORES}).status_code == 201
    first, second = sent()
    assert first.answered_at < second.answered_at


def scores_without(code: str) -> dict[str, int]:
    return {k: v for k, v in SCORES.items() if k != code}


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"scores": scores_without("U5")}, "scores.U5", "wajib diisi"),
        ({"scores": {**SCORES, "U3": 5}}, "scores.U3", "harus 1, 2, 3 atau 4"),
        ({"scores": {**SCORES, "U9": 0}}, "scores.U9", "harus 1, 2, 3 atau 4"),
        ({"scores": {**SCORES, "U1": "4"}}, "scores.U1", "bilangan bulat"),
        ({"scores": {**SCORES, "U2": 3.5}}, "scores.U2", "bilangan bulat"),
        ({"scores": {**SCORES, "U4": True}}, "scores.U4", "bilangan bulat"),
        ({"scores": {**SCORES, "U10": 4}}, "scores.U10", "tidak dikenal"),
        ({"scores": SCORES, "saran": "lebih cepat"}, "saran", "tidak dikenal"),
        ({"scores": [4, 3, 2, 4, 3, 3, 4, 1, 3]}, "scores", "objek JSON"),
        ({}, "scores", "wajib diisi"),
    ],
    ids=["missing", "five", "zero", "text", "fraction", "bool", "unknown", "extra", "list", "none"],
)
def test_a_bad_survey_is_a_422_in_indonesian_and_keeps_nothing(
    api: TestClient, rated: dict[str, Any], body: Any, field: str, words: str
) -> None:
    before = row_counts()

    response = survey(api, rated, body)

    assert response.status_code == 422, response.text
    assert response.json()["message"].startswith("Data tidak valid.")
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert words in errors[field], errors
    assert row_counts() == before


def test_only_the_token_holder_may_survey(api: TestClient, rated: dict[str, Any]) -> None:
    code = rated["tracking_code"]
    before = row_counts()
    missing = api.post(f"/api/v1/complaints/{code}/survey", json={"scores": SCORES})
    wrong = api.post(
        f"/api/v1/complaints/{code}/survey",
        json={"scores": SCORES},
        headers={"X-Access-Token": "x" * 43},
    )
    assert (missing.status_code, wrong.status_code) == (401, 404)
    assert row_counts() == before


def test_the_api_documents_the_nine_questions(api: TestClient) -> None:
    schema = api.get("/openapi.json").json()["components"]["schemas"]["SurveyScores"]
    assert sorted(schema["required"]) == sorted(CODES)
    assert "kecepatan waktu" in schema["properties"]["U3"]["description"]


def test_the_survey_goes_to_the_complainant_desk() -> None:
    assert task_routes()[WORKFLOW_SURVEY_TASK]["queue"] == complainant_desk().value
