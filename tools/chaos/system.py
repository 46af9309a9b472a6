"""The desk as the chaos suite runs it: every part a process (or server) of its own, which the
fault injector may stop and start again."""

from __future__ import annotations

import os
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from shared.sop import Role
from tools.chaos.database_faults import Databases
from tools.chaos.results import WORKERS
from tools.harness.chaos_servers import RestartableGateway, RestartableSmtpServer
from tools.harness.desk import Desk
from tools.harness.environment import service_environment
from tools.harness.processes import ApiProcess, ServiceProcess, beat, worker
from tools.harness.redis_server import RedisServer


def _stop_all(processes: list[Any]) -> None:
    for process in processes:
        process.stop()


class System:
    """Every part as a process (or server) of its own, which the injector may stop and start."""

    def __init__(
        self, workdir: Path, stack: ExitStack, settings: dict[str, str] | None = None
    ) -> None:
        """``settings`` replace the suite's (``PENGADUAN_`` names without the prefix, lower
        case), as tools.recovery_cost does for the broker's timings."""
        self.workdir = workdir
        self.logs = workdir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.redis = RedisServer(workdir / "redis")
        self.redis.start()
        stack.callback(self.redis.stop)
        self.broker_url = f"{self.redis.url}/0"
        # PostgreSQL when the tests are given one: then a server of the run's own, which the
        # injector may restart and stop (tools.chaos.database_faults).
        self.databases = Databases(
            workdir, stack, postgres=bool(os.environ.get("PENGADUAN_TEST_DATABASE_URL"))
        )
        self.database_urls = self.databases.urls
        self.smtp = RestartableSmtpServer()
        self.smtp.start()
        stack.callback(self.smtp.stop)
        self.gateway = RestartableGateway()
        self.gateway.start()
        stack.callback(self.gateway.stop)
        suite = {
            "smtp_host": "127.0.0.1",
            "smtp_port": str(self.smtp.port),
            "smtp_timeout_seconds": "5",
            "sms_gateway_url": self.gateway.url,
            "sms_gateway_token": "rahasia-gateway-chaos",
            "sms_timeout_seconds": "5",
            "broker_visibility_timeout": "6",
            "broker_restore_interval": "1",
            # The outbox's second copy of each message, at the suite's time scale (production:
            # 120 s beside a 30 s visibility timeout).
            "outbox_redrive_seconds": "10",
            # The delivery sweep (a lost Celery retry), at the same scale: beat sends it every
            # 2 s, and a delivery with no try for 90 s (the least allowed: above the 60 s retry
            # backoff cap) counts as lost.
            "delivery_sweep_seconds": "2",
            "delivery_stale_seconds": "90",
            "notify_staff_on_arrival": "false",
            # The stream files from one address: the citizens' rate limits must not refuse it.
            "filing_limit": "1000000/minute",
            "tracking_limit": "1000000/minute",
        }
        suite.update(settings or {})
        self.env = service_environment(
            workdir / "var", self.broker_url, self.database_urls, **suite
        )
        self.lock = threading.Lock()
        self.apis = [
            ApiProcess("intake", self.env, self.logs).start(),
            ApiProcess("workflow", self.env, self.logs).start(),
        ]
        stack.callback(_stop_all, self.apis)
        self.workers: dict[str, ServiceProcess] = {}
        for name in WORKERS:
            self.workers[name] = worker(name, self.env, self.logs).start()
        for process in self.workers.values():
            process.wait_for_output("ready.", timeout=90)
        stack.callback(lambda: _stop_all(list(self.workers.values())))
        # Celery beat sends the sweeps, as in docker-compose; supervised like the workers.
        self.workers["beat"] = beat(self.env, self.logs).start()
        self.workers["beat"].wait_for_output("beat: Starting", timeout=60)
        self.desk = Desk(self.apis[0], self.apis[1], self.workers, self.env, self.logs, self.smtp)
        stack.callback(self.desk.close)
        for role in Role:
            self.desk.headers(role)  # log every role in before any fault

    def kill_and_restart(self, name: str, down: float) -> None:
        with self.lock:
            self.workers[name].kill()
            time.sleep(down)
            self._start(name)

    def _start(self, name: str) -> None:
        if name == "beat":
            self.workers[name] = beat(self.env, self.logs).start()
            self.workers[name].wait_for_output("beat: Starting", timeout=60)
            return
        restarted = worker(name, self.env, self.logs).start()
        self.workers[name] = restarted
        restarted.wait_for_output("ready.", timeout=120)

    def supervise(self, stop: threading.Event, crashes: list[str]) -> None:
        """Start again a worker that exited by itself, as compose's ``restart: unless-stopped``
        does; each such exit is noted in ``crashes`` with the worker's last critical line."""
        while not stop.wait(0.5):
            with self.lock:
                for name, process in list(self.workers.items()):
                    if process.process is None or process.process.poll() is None:
                        continue
                    last = [line for line in process.output().splitlines() if "CRITICAL" in line]
                    crashes.append(
                        f"{name} worker exited by itself ({process.process.returncode}): "
                        f"{last[-1][:300] if last else 'no critical line'}"
                    )
                    self._start(name)
