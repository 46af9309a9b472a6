"""The complainants and the staff of a chaos run: a stream of filings, and each role's people
working their worklists, both retrying what a fault left without an answer."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from shared.sop import STEPS, Role
from tools.chaos.results import TRANSIENT, Results
from tools.harness.desk import STEP_INPUTS, Desk

log = logging.getLogger("chaos")


def complaint_body(number: int) -> dict[str, Any]:
    return {
        "reporter": {
            "name": f"Pengadu Uji {number}",
            "email": f"pengadu{number}@example.id",
            "phone": f"+62812{number:08d}",
        },
        "subject": f"Izin usaha belum terbit ({number})",
        "description": "Permohonan izin usaha kami sudah tiga minggu belum ada kabar.",
        "channels": ["email", "sms"],
    }


class Stream:
    """Files ``count`` complaints, one every ``interval`` seconds, retrying a filing that got
    no answer or a 5xx (the citizen presses the button again)."""

    def __init__(self, url: str, count: int, interval: float, results: Results) -> None:
        self.client = httpx.Client(base_url=url, timeout=15)
        self.count = count
        self.interval = interval
        self.results = results
        self.accepted: list[str] = []
        self.uncertain = 0  # filings that got no answer: perhaps accepted, perhaps not

    def run(self, stop: threading.Event, progress: Callable[[], float] = lambda: 1.0) -> None:
        """``progress``: the share of faults begun (the one under way included); filings are
        spread over the faults, so complaints keep arriving through every one of them."""
        for number in range(self.count):
            while not stop.is_set() and number / self.count > progress():
                time.sleep(0.1)
            if stop.is_set():
                return
            self._file(number, stop)
            time.sleep(self.interval)

    def _file(self, number: int, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                response = self.client.post("/api/v1/complaints", json=complaint_body(number))
            except TRANSIENT as exc:
                self.results.filing_errors[type(exc).__name__] += 1
                self.uncertain += 1
                time.sleep(0.5)
                continue
            if response.status_code == 202:
                self.accepted.append(response.json()["tracking_code"])
                return
            self.results.filing_errors[str(response.status_code)] += 1
            if response.status_code < 500:
                log.error("filing %d refused: %s %s", number, response.status_code, response.text)
                return
            time.sleep(0.5)


class Staff:
    """Each role's people: they read their worklist and complete what is on it, several cases
    at once, retrying a completion that got no answer or a 5xx."""

    def __init__(self, desk: Desk, per_role: int, results: Results) -> None:
        self.desk = desk
        self.per_role = per_role
        self.results = results
        self.lock = threading.Lock()
        self.in_hand: set[tuple[str, int]] = set()
        self.completed: Counter[tuple[str, int]] = Counter()

    def run(self, stop: threading.Event) -> None:
        roles = sorted({step.role for step in STEPS}, key=lambda r: r.value)
        with ThreadPoolExecutor(len(roles) * self.per_role) as pool:
            threads = [
                threading.Thread(target=self._role, args=(role, pool, stop), daemon=True)
                for role in roles
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

    def _role(self, role: Role, pool: ThreadPoolExecutor, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                response = self.desk.workflow.get(
                    "/api/v1/worklist", headers=self.desk.headers(role)
                )
            except TRANSIENT as exc:
                self._error(f"worklist {type(exc).__name__}")
                time.sleep(0.5)
                continue
            if response.status_code != 200:
                self._error(f"worklist {response.status_code}")
                time.sleep(0.5)
                continue
            for item in response.json():
                key = (item["case_id"], item["step"])
                with self.lock:
                    if key in self.in_hand or key in self.completed:
                        continue
                    self.in_hand.add(key)
                pool.submit(self._complete, role, item["case_id"], item["step"], stop)
            time.sleep(0.2)

    def _complete(self, role: Role, case_id: str, step: int, stop: threading.Event) -> None:
        tries = 0
        try:
            while not stop.is_set():
                tries += 1
                try:
                    response = self.desk.complete(role, case_id, step, STEP_INPUTS[step])
                except TRANSIENT as exc:
                    self._error(f"complete {type(exc).__name__}")
                    time.sleep(0.5)
                    continue
                if response.status_code == 202:
                    break
                if response.status_code == 409:
                    with self.lock:
                        if tries > 1:
                            self.results.conflicts_after_retry += 1
                        else:
                            self.results.conflicts_stale += 1
                    break
                self._error(f"complete {response.status_code}")
                if response.status_code < 500:
                    log.error("step %d of %s refused: %s", step, case_id, response.text)
                    return
                time.sleep(0.5)
            with self.lock:
                self.completed[(case_id, step)] += 1
        finally:
            with self.lock:
                self.in_hand.discard((case_id, step))

    def _error(self, what: str) -> None:
        with self.lock:
            self.results.staff_errors[what] += 1
