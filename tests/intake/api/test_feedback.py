"""After the answer, through the citizens' API: the rating (once per answer, SKM 1-4, an
optional comment) and the request to reopen (with a reason, within the window), both sent to
the workflow through the outbox; every refusal a 409 or 422 in Indonesian with nothing stored."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.intake.api.app import create_app
from services.intake.feedback.reopening import UNSATISFIED_REASON
from services.intake.feedback.schemas import COMMENT_MAX, REASON_MAX
from shared.messaging.celery_app import task_routes
from shared.messaging.contracts import (
    WORKFLOW_RATED_TASK,
    WORKFLOW_REOPEN_TASK,
    ComplaintRatedV1,
    ReopenRequestedV1,
)
from shared.sop import complainant_desk
from tests.intake.conftest import (
    LONG_PAST,
    answer,
    file,
    headers,
    outbox_rows,
    row_counts,
    set_settings,
    status_change,
    track,
)

REASON = "Izin belum dapat diunduh di OSS; tautan yang diberikan tidak berfungsi."


@pytest.fixture
def api(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    set_settings(monkeypatch, tracking_limit="1000/minute")
    with TestClient(create_app()) as client:
        yield client


@pytest.fixture
def filed(api: TestClient) -> dict[str, Any]:
    return file(api)


def rate(api: TestClient, filed: dict[str, Any], body: Any) -> Any:
    code = filed["tracking_code"]
    return api.post(f"/api/v1/complaints/{code}/rating", json=body, headers=headers(filed))


def reopen(api: TestClient, filed: dict[str, Any], body: Any) -> Any:
    code = filed["tracking_code"]
    return api.post(f"/api/v1/complaints/{code}/reopen", json=body, headers=headers(filed))


def sent(task: str) -> list[dict[str, Any]]:
    return [r.payload for r in outbox_rows() if r.task_name == task]


def refused(response: Any, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert words in response.json()["message"]


def test_a_rating_is_kept_sent_to_the_workflow_and_shown(
    api: TestClient, filed: dict[str, Any]
) -> None:
    answer(filed["tracking_code"])
    response = rate(api, filed, {"score": 4, "comment": "Izin sudah terbit, terima kasih."})

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "answered"
    assert body["rating"]["label"] == "Sangat baik"
    assert body["rating"]["satisfaction"] == "puas"
    assert body["message"].startswith("Terima kasih")
    [payload] = sent(WORKFLOW_RATED_TASK)
    rated = ComplaintRatedV1.model_validate(payload)
    assert (rated.tracking_code, rated.score, rated.comment) == (
        filed["tracking_code"],
        4,
        "Izin sudah terbit, terima kasih.",
    )
    tracked = track(api, filed["tracking_code"], filed["access_token"])
    assert tracked["rating"]["score"] == 4
    assert tracked["rating"]["comment"] == "Izin sudah terbit, terima kasih."
    assert tracked["status"] == "answered"  # a puas rating reopens nothing
    assert sent(WORKFLOW_REOPEN_TASK) == []


def test_the_same_answer_is_rated_once(api: TestClient, filed: dict[str, Any]) -> None:
    answer(filed["tracking_code"])
    assert rate(api, filed, {"score": 3}).status_code == 201
    before = row_counts()

    refused(rate(api, filed, {"score": 1}), 409, "sudah Anda nilai")
    assert row_counts() == before
    assert track(api, filed["tracking_code"], filed["access_token"])["rating"]["score"] == 3


def test_tidak_puas_within_the_window_shows_the_reopening_as_asked(
    api: TestClient, filed: dict[str, Any]
) -> None:
    answer(filed["tracking_code"])
    response = rate(api, filed, {"score": 2})

    assert response.status_code == 201
    assert response.json()["status"] == "reopen_requested"
    assert "dibuka kembali" in response.json()["message"]
    tracked = track(api, filed["tracking_code"], filed["access_token"])
    assert tracked["status_label"] == "Permintaan dibuka kembali sedang diproses"
    assert tracked["timeline"][-1]["note"] == UNSATISFIED_REASON
    # The workflow reopens on the rating itself: no second message asks it to.
    assert len(sent(WORKFLOW_RATED_TASK)) == 1 and sent(WORKFLOW_REOPEN_TASK) == []
    refused(reopen(api, filed, {"reason": REASON}), 409, "sudah diajukan")


def test_tidak_puas_after_the_window_is_kept_but_reopens_nothing(
    api: TestClient, filed: dict[str, Any]
) -> None:
    answer(filed["tracking_code"], reopen_until=LONG_PAST)
    response = rate(api, filed, {"score": 1, "comment": "Belum selesai."})

    assert response.status_code == 201
    assert response.json()["status"] == "answered"
    assert track(api, filed["tracking_code"], filed["access_token"])["status"] == "answered"


def test_a_rating_before_the_answer_is_refused(api: TestClient, filed: dict[str, Any]) -> None:
    before = row_counts()
    refused(rate(api, filed, {"score": 4}), 409, "belum dijawab")
    assert row_counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "score"),
        ({"score": 0}, "score"),
        ({"score": 5}, "score"),
        ({"score": "4"}, "score"),
        ({"score": 3.5}, "score"),
        ({"score": True}, "score"),
        ({"score": 4, "comment": "x" * (COMMENT_MAX + 1)}, "comment"),
        ({"score": 4, "comment": "baik\x00"}, "comment"),
        ({"score": 4, "puas": True}, "puas"),
        ([4], "body"),
    ],
    ids=["missing", "zero", "five", "text", "fraction", "bool", "long", "control", "extra", "list"],
)
def test_a_bad_rating_is_a_422_in_indonesian_and_keeps_nothing(
    api: TestClient, filed: dict[str, Any], body: Any, field: str
) -> None:
    answer(filed["tracking_code"])
    before = row_counts()

    response = rate(api, filed, body)

    assert response.status_code == 422, response.text
    assert response.json()["message"].startswith("Data tidak valid.")
    assert field in [e["field"] for e in response.json()["errors"]]
    assert row_counts() == before


def test_the_score_is_explained_on_the_skm_scale(api: TestClient, filed: dict[str, Any]) -> None:
    answer(filed["tracking_code"])
    [error] = rate(api, filed, {"score": 7}).json()["errors"]
    assert error["message"] == (
        "harus 1, 2, 3 atau 4 (4 sangat baik, 3 baik, 2 kurang baik, 1 tidak baik)"
    )


def test_a_reopen_request_is_sent_with_its_reason(api: TestClient, filed: dict[str, Any]) -> None:
    answer(filed["tracking_code"])
    response = reopen(api, filed, {"reason": REASON})

    assert response.status_code == 202, response.text
    assert response.json()["status"] == "reopen_requested"
    [payload] = sent(WORKFLOW_REOPEN_TASK)
    asked = ReopenRequestedV1.model_validate(payload)
    assert (asked.tracking_code, asked.reason) == (filed["tracking_code"], REASON)
    tracked = track(api, filed["tracking_code"], filed["access_token"])
    assert tracked["status_label"] == "Permintaan dibuka kembali sedang diproses"
    assert tracked["timeline"][-1]["note"] == REASON
    assert tracked["reopen_until"].startswith("2099-12-21")

    before = row_counts()
    refused(reopen(api, filed, {"reason": REASON}), 409, "sudah diajukan")
    assert row_counts() == before
    # The answer may still be rated once.
    assert rate(api, filed, {"score": 2}).status_code == 201
    assert len(sent(WORKFLOW_REOPEN_TASK)) == 1


def test_a_reopen_request_before_the_answer_is_refused(
    api: TestClient, filed: dict[str, Any]
) -> None:
    before = row_counts()
    refused(reopen(api, filed, {"reason": REASON}), 409, "belum dijawab")
    assert row_counts() == before


@pytest.mark.parametrize("until", [LONG_PAST, None], ids=["passed", "answer-without-window"])
def test_a_reopen_request_after_the_window_is_refused(
    api: TestClient, filed: dict[str, Any], until: Any
) -> None:
    answer(filed["tracking_code"], reopen_until=until)
    before = row_counts()
    response = reopen(api, filed, {"reason": REASON})
    refused(response, 409, "Batas waktu permintaan dibuka kembali")
    if until is not None:
        assert "6 Januari 2020, 16.00 WIB" in response.json()["message"]
    assert response.json()["code"] == "reopen_window_passed"
    assert row_counts() == before


def test_while_the_case_is_handled_again_nothing_is_rated_or_reopened(
    api: TestClient, filed: dict[str, Any]
) -> None:
    code = filed["tracking_code"]
    status_change(code, "answer_ready", 10)
    answer(code)
    assert reopen(api, filed, {"reason": REASON}).status_code == 202
    status_change(code, "verifying", 12, note=REASON)  # the workflow reopened it
    before = row_counts()

    refused(reopen(api, filed, {"reason": REASON}), 409, "sedang ditangani kembali")
    refused(rate(api, filed, {"score": 4}), 409, "sedang ditangani kembali")
    assert row_counts() == before


def test_the_new_answer_of_a_reopened_case_may_be_rated_again(
    api: TestClient, filed: dict[str, Any]
) -> None:
    code = filed["tracking_code"]
    answer(code)
    assert rate(api, filed, {"score": 1, "comment": "Belum terbit."}).status_code == 201
    status_change(code, "verifying", 12, note="Belum terbit.")
    answer(code, "Izin usaha Anda terbit hari ini; silakan unduh di OSS.")

    tracked = track(api, code, filed["access_token"])
    assert tracked["answer"] == "Izin usaha Anda terbit hari ini; silakan unduh di OSS."
    assert tracked["rating"] is None
    assert rate(api, filed, {"score": 4}).status_code == 201
    assert [p["score"] for p in sent(WORKFLOW_RATED_TASK)] == [1, 4]
    refused(rate(api, filed, {"score": 4}), 409, "sudah Anda nilai")


def test_after_the_close_nothing_is_rated_or_reopened(
    api: TestClient, filed: dict[str, Any]
) -> None:
    code = filed["tracking_code"]
    answer(code)
    status_change(code, "closed", 12)
    before = row_counts()

    for response in (rate(api, filed, {"score": 4}), reopen(api, filed, {"reason": REASON})):
        refused(response, 409, "telah ditutup")
        assert response.json()["code"] == "complaint_closed"
    assert row_counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "reason"),
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": "x" * (REASON_MAX + 1)}, "reason"),
        ({"reason": 42}, "reason"),
        ({"reason": REASON, "score": 1}, "score"),
    ],
    ids=["missing", "empty", "blank", "long", "number", "extra"],
)
def test_a_bad_reopen_request_is_a_422_in_indonesian_and_keeps_nothing(
    api: TestClient, filed: dict[str, Any], body: Any, field: str
) -> None:
    answer(filed["tracking_code"])
    before = row_counts()

    response = reopen(api, filed, body)

    assert response.status_code == 422, response.text
    assert response.json()["message"].startswith("Data tidak valid.")
    assert field in [e["field"] for e in response.json()["errors"]]
    assert row_counts() == before


@pytest.mark.parametrize("route", ["rating", "reopen"])
def test_only_the_token_holder_may_rate_or_reopen(
    api: TestClient, filed: dict[str, Any], route: str
) -> None:
    code = filed["tracking_code"]
    answer(code)
    body = {"score": 4} if route == "rating" else {"reason": REASON}
    before = row_counts()

    missing = api.post(f"/api/v1/complaints/{code}/{route}", json=body)
    wrong = api.post(
        f"/api/v1/complaints/{code}/{route}", json=body, headers={"X-Access-Token": "x" * 43}
    )

    assert missing.status_code == 401
    assert wrong.status_code == 404
    assert row_counts() == before


def test_both_messages_go_to_the_complainant_desk_as_attachments_do() -> None:
    for task in (WORKFLOW_RATED_TASK, WORKFLOW_REOPEN_TASK):
        assert task_routes()[task]["queue"] == complainant_desk().value
