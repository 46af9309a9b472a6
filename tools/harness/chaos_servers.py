"""The SMTP server and the SMS gateway as the chaos suite uses them: stopped and started again
on the same port, keeping everything received across restarts (a provider's outage, not a new
provider)."""

from __future__ import annotations

import threading
from typing import Any

from aiosmtpd.controller import Controller

from tools.harness.redis_server import free_port
from tools.harness.sms_gateway import Format, GatewayServer
from tools.harness.smtp import SmtpServer


class RestartableSmtpServer(SmtpServer):
    """An ``SmtpServer`` whose ``start`` after ``stop`` listens again on the same port, with
    the same inbox."""

    def __init__(self) -> None:
        super().__init__()
        self.controller.loop.close()  # never started: start() makes a controller of its own
        self.running = False

    def start(self) -> None:
        # A stopped aiosmtpd Controller is not reused: a new one on the same port.
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.controller.stop()
            self.controller.loop.close()  # its self-pipe sockets with it
            self.running = False


class RestartableGateway:
    """A ``GatewayServer`` (the JSON format, answering 200) that can be stopped and started
    again on the same port; ``requests`` holds what every incarnation received."""

    def __init__(self, format: Format = "json") -> None:
        self.format: Format = format
        self.port = free_port()
        self._past: list[dict[str, Any]] = []
        self._server: GatewayServer | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sms"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> None:
        with self._lock:
            if self._server is None:
                self._server = GatewayServer(self.format, port=self.port)
                self._server.start()

    def stop(self) -> None:
        with self._lock:
            if self._server is not None:
                self._server.stop()
                self._past.extend(self._server.requests)
                self._server = None

    @property
    def requests(self) -> list[dict[str, Any]]:
        with self._lock:
            current = list(self._server.requests) if self._server is not None else []
            return [*self._past, *current]
