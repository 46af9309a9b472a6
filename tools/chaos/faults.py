"""The fault injector: seeded faults against the running desk (workers killed, Redis restarted
or stopped, the SMTP server and the SMS gateway down, a message delivered twice, the database
restarted, stopped, refusing one service, out of connections or locked), each timed until the
desk answers again (``tools.chaos.healing``), and the tap that keeps copies of queued messages
for the duplicates."""

from __future__ import annotations

import base64
import json
import random
import threading
import time
from typing import Any

import redis
from rich.console import Console

from shared.messaging.celery_app import ALL_QUEUES, make_celery
from shared.messaging.queue_keys import queued_messages
from shared.runtime.settings import Settings
from tools.chaos.healing import memory, wait_healed
from tools.chaos.results import BASE_FAULTS, FAULT_WEIGHTS, WORKERS, Config, Results
from tools.chaos.system import System


class Tap:
    """Keeps a copy of messages seen waiting on the queues, for delivering one again later."""

    def __init__(self, broker_url: str) -> None:
        self.client = redis.Redis.from_url(broker_url, socket_timeout=1, socket_connect_timeout=1)
        self.seen: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                for queue in ALL_QUEUES:
                    for raw in queued_messages(self.client, queue, limit=20):
                        message = json.loads(raw)
                        with self.lock:
                            self.seen.setdefault(message["headers"]["id"], message)
            except redis.RedisError:
                time.sleep(0.5)
            time.sleep(0.05)

    def pick(self, rng: random.Random) -> dict[str, Any] | None:
        with self.lock:
            ids = sorted(self.seen)
            return self.seen[rng.choice(ids)] if ids else None


class Injector:
    def __init__(
        self, system: System, config: Config, results: Results, rng: random.Random
    ) -> None:
        self.system = system
        self.config = config
        self.results = results
        self.rng = rng
        self.tap = Tap(system.broker_url)
        self.celery = make_celery(
            Settings(broker={"redis_url": system.broker_url, "visibility_timeout": 6})
        )
        self.console = Console(stderr=True)
        self.begun = 0
        self.finished = threading.Event()
        self.kinds = BASE_FAULTS + system.databases.kinds

    def progress(self) -> float:
        """The share of the faults begun, counting the next as begun (1.0 with none planned)."""
        return min(1.0, (self.begun + 1) / self.config.faults) if self.config.faults else 1.0

    def close(self) -> None:
        self.tap_thread.join(10)
        self.tap.client.close()
        self.celery.close()

    def plan(self) -> list[str]:
        """Each kind of fault once (every worker killed once), then random ones, killing
        weighed heaviest; shuffled."""
        first = ["kill-worker"] * 2 + list(self.kinds)
        rest = self.rng.choices(
            self.kinds,
            weights=[FAULT_WEIGHTS[kind] for kind in self.kinds],
            k=max(0, self.config.faults - len(first)),
        )
        plan = [*first, *rest][: self.config.faults]
        self.rng.shuffle(plan)
        return plan

    def run(self, stop: threading.Event) -> None:
        """Inject every planned fault, set ``finished``, then stay alive until ``stop``: the
        workers this thread started again die with it (``PR_SET_PDEATHSIG`` in
        tools/harness/processes.py follows the thread that forked, not the process)."""
        self.tap_thread = threading.Thread(target=self.tap.run, args=(stop,), daemon=True)
        self.tap_thread.start()
        supervisor = threading.Thread(
            target=self.system.supervise, args=(stop, self.results.crashes), daemon=True
        )
        supervisor.start()  # lives until stop, like this thread: see run's docstring
        kills = list(WORKERS)  # the first kills take each worker once
        self.rng.shuffle(kills)
        try:
            for fault in self.plan():
                if stop.wait(self.rng.uniform(*self.config.fault_gap)):
                    return
                self.begun += 1
                started = time.monotonic()
                detail = self.inject(fault, kills)
                self.results.faults[fault] += 1
                number = sum(self.results.faults.values())
                healed = wait_healed(self.system, self.celery, started, self.config.heal_timeout)
                if healed is None:
                    self.results.unhealed.append(f"fault {number}: {fault} {detail}")
                else:
                    self.results.heals.setdefault(fault, []).append(healed)
                self.results.memory_series.append(memory(self.system))
                took = "NOT healed" if healed is None else f"healed in {healed:.1f} s"
                self.console.log(f"fault {number}: {fault} {detail}: {took}")
        finally:
            self.finished.set()
        stop.wait()

    def inject(self, fault: str, kills: list[str]) -> str:
        system = self.system
        if fault == "kill-worker":
            name = kills.pop() if kills else self.rng.choice(WORKERS)
            down = self.rng.uniform(0, 2)
            system.kill_and_restart(name, down)
            return f"{name} (down {down:.1f} s)"
        if fault == "restart-redis":
            system.redis.stop()
            system.redis.start()
            return ""
        if fault == "redis-outage":
            system.redis.stop()
            time.sleep(self.config.redis_outage)
            system.redis.start()
            return f"({self.config.redis_outage:.0f} s)"
        if fault in ("smtp-outage", "sms-outage"):
            server = system.smtp if fault == "smtp-outage" else system.gateway
            server.stop()
            time.sleep(self.config.provider_outage)
            server.start()
            return f"({self.config.provider_outage:.0f} s)"
        if fault == "duplicate-delivery":
            return self.duplicate()
        seconds = self.rng.uniform(
            *(
                self.config.database_outage
                if fault in ("database-outage", "service-database-away")
                else self.config.database_hold
            )
        )
        return system.databases.inject(fault, self.rng, seconds)

    def duplicate(self) -> str:
        message = None
        deadline = time.monotonic() + 30
        while message is None and time.monotonic() < deadline:
            message = self.tap.pick(self.rng)
            if message is None:
                time.sleep(0.2)
        if message is None:
            return "(no message seen yet: none sent)"
        headers = message["headers"]
        args, kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        self.celery.send_task(headers["task"], args=args, kwargs=kwargs, task_id=headers["id"])
        return f"{headers['task']} {headers['id']}"
