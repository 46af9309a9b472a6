"""Each Celery task logs under its own ids only: what one task learned (a tracking code) must not
label the lines of the next task the same worker process runs."""

from __future__ import annotations

import json
import logging

import pytest
from celery import Celery

from shared.runtime.log_context import annotate
from shared.runtime.log_setup import configure_logging, log_celery_as


def test_a_task_does_not_inherit_the_ids_of_the_task_before(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("tests")
    log_celery_as("tests")
    app = Celery(set_as_current=False)

    @app.task(name="tests.logs_about")  # type: ignore[untyped-decorator]
    def logs_about(code: str | None) -> None:
        if code:
            annotate(tracking_code=code)
        logging.getLogger("tests.task").warning("working on %s", code)

    capsys.readouterr()
    first = logs_about.apply(args=["PGD-7KQ2-M9XD"]).id
    second = logs_about.apply(args=[None]).id
    logging.getLogger("tests.task").warning("between tasks")

    lines = [
        json.loads(line)
        for line in capsys.readouterr().err.splitlines()
        if line.startswith("{") and '"tests.task"' in line
    ]
    assert [(line.get("task_id"), line.get("tracking_code")) for line in lines] == [
        (first, "PGD-7KQ2-M9XD"),
        (second, None),
        (None, None),
    ]
