"""Flower run for real with the options of compose's ``flower`` service: every page asks for the
login, the healthcheck compose polls answers without it, the Broker page and the queue-length
API count what waits on each queue, and a SIGTERM (``docker stop``) leaves the saved history on
disk for the next start to read back."""

from __future__ import annotations

import dbm
import os
import re
import shelve
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
import yaml

from shared.messaging.celery_app import ALL_QUEUES, make_celery
from shared.messaging.contracts import SLA_SWEEP_TASK
from shared.messaging.queue_keys import queue_keys
from shared.runtime.settings import Settings
from shared.runtime.settings.project import PROJECT_ROOT
from shared.sop import STEPS, Role
from tools.harness.environment import service_environment
from tools.harness.processes import ServiceProcess
from tools.harness.redis_server import free_port

USER, PASSWORD = "operator", "flower-test-password"


def compose_flower_options() -> list[str]:
    """What compose passes to ``flower``, less the port and database path this test picks."""
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    command = [str(arg) for arg in compose["services"]["flower"]["command"]]
    options = command[command.index("flower") + 1 :]
    return [o for o in options if not o.startswith(("--port=", "--address=", "--db="))]


class FlowerProcess(ServiceProcess):
    def __init__(self, db: Path, broker_url: str, log_dir: Path) -> None:
        self.port = free_port()
        argv = [
            *(sys.executable, "-m", "celery", "-A", "shared.process.flower_app", "flower"),
            *compose_flower_options(),
            *(f"--port={self.port}", "--address=127.0.0.1", f"--db={db}"),
        ]
        env = service_environment(log_dir / "var", broker_url, {})
        # The login reaches Flower as compose hands it over: an environment variable.
        env["FLOWER_BASIC_AUTH"] = f"{USER}:{PASSWORD}"
        super().__init__("flower", argv, env, log_dir)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FlowerProcess:
        super().start()
        self.wait_until_answers(f"{self.url}/healthcheck", timeout=15)
        return self

    def terminate(self) -> int:
        """SIGTERM, as ``docker stop`` sends it; Flower's exit status."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            code = self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        self.process = None
        return code


def saved_keys(db: Path) -> set[str]:
    """The keys of Flower's shelf; none while nothing has been saved (whichdb cannot tell)."""
    if not dbm.whichdb(str(db)):
        return set()
    with shelve.open(str(db), flag="r") as shelf:  # noqa: S301 - our own Flower's file
        return set(shelf.keys())


@pytest.fixture
def flower(tmp_path: Path, broker_url: str) -> Iterator[FlowerProcess]:
    process = FlowerProcess(tmp_path / "flower.db", broker_url, tmp_path).start()
    yield process
    process.stop()


def test_compose_runs_flower_persistent() -> None:
    assert "--persistent=True" in compose_flower_options()


def test_every_page_asks_for_the_login(flower: FlowerProcess) -> None:
    for page in ("/workers", "/tasks", "/api/workers"):
        assert httpx.get(f"{flower.url}{page}", timeout=5).status_code == 401, page
        wrong = httpx.get(f"{flower.url}{page}", auth=(USER, "not-the-password"), timeout=5)
        assert wrong.status_code == 401, page
        if not page.startswith("/api/"):  # the browser's cue to show its login dialog
            assert wrong.headers["WWW-Authenticate"].startswith("Basic"), page
    right = httpx.get(f"{flower.url}/workers", auth=(USER, PASSWORD), timeout=5)
    assert right.status_code == 200
    assert "Flower" in right.text


def test_the_healthcheck_compose_polls_answers_without_the_login(flower: FlowerProcess) -> None:
    response = httpx.get(f"{flower.url}/healthcheck", timeout=5)
    assert (response.status_code, response.text) == (200, "OK")


def broker_page_counts(html: str) -> dict[str, str]:
    """Each row of the Broker page's queue table: the queue's name and its Messages column."""
    rows = re.findall(r'<tr id="[^"]*">\s*<td>([^<]+)</td>\s*<td[^>]*>([^<]*)</td>', html)
    return {name.strip(): messages.strip() for name, messages in rows}


def test_the_broker_page_and_api_count_what_waits_on_each_queue(
    flower: FlowerProcess, broker_url: str
) -> None:
    # No worker runs: three cases handed to the Kasi and one to the Kabid wait on their queues.
    app = make_celery(Settings(broker={"redis_url": broker_url}))
    kasi_step, koordinator_step = STEPS[1], STEPS[2]
    for number in range(3):
        app.send_task(kasi_step.arrive_task, kwargs={"n": number})
    app.send_task(koordinator_step.arrive_task, kwargs={"n": 0})
    # And on the admin queue a new case, a case handed back for its answer and the Mutu Baku
    # sweep: one on each of the queue's priority lists, which Flower counts as one queue.
    for task in (STEPS[0].arrive_task, STEPS[-1].arrive_task, SLA_SWEEP_TASK):
        app.send_task(task, kwargs={"n": 0})
    client = redis.Redis.from_url(broker_url)
    assert [client.llen(key) for key in queue_keys(Role.ADMIN.value)] == [1, 1, 1, 0]
    client.close()
    expected = dict.fromkeys(ALL_QUEUES, 0)
    expected[kasi_step.queue], expected[koordinator_step.queue] = 3, 1
    expected[Role.ADMIN.value] = 3

    page = httpx.get(f"{flower.url}/broker", auth=(USER, PASSWORD), timeout=10)
    assert page.status_code == 200, page.text
    assert broker_page_counts(page.text) == {name: str(n) for name, n in expected.items()}

    api = httpx.get(f"{flower.url}/api/queues/length", auth=(USER, PASSWORD), timeout=10)
    assert api.status_code == 200, api.text
    counted = {queue["name"]: queue["messages"] for queue in api.json()["active_queues"]}
    assert counted == expected


def test_sigterm_saves_the_state_and_the_next_start_reads_it_back(
    flower: FlowerProcess, tmp_path: Path
) -> None:
    db = tmp_path / "flower.db"
    # compose saves every minute: nothing yet, so what is found afterwards is the shutdown's.
    assert "events" not in saved_keys(db)
    assert flower.terminate() == 0
    assert {"events", "counter"} <= saved_keys(db)

    flower.start()  # the same database: the saved state loads, nothing is moved aside
    assert "Failed to load state" not in flower.output()
    assert not list(tmp_path.glob("flower.db*.corrupt"))
    assert flower.terminate() == 0
    assert {"events", "counter"} <= saved_keys(db)
