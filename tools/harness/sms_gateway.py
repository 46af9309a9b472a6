"""A real local HTTP server playing an SMS gateway (the generic JSON webhook or Zenziva) or the
WhatsApp Business Cloud API's message endpoint (``whatsapp``: ``base_url`` is its API address).

It keeps every request as the gateway received it and answers as scripted: the format's success
answer by default, or a given status and body, possibly held back until the test releases it
(a gateway slower than the client's timeout).
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs

Format = Literal["json", "zenziva", "whatsapp"]

HOLD_LIMIT_SECONDS = 30  # a held answer never outlives a forgotten release


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: Any = None  # None: the format's own answer for the status
    hold: bool = False  # answer only once the test calls release()


class GatewayServer:
    def __init__(self, format: Format, port: int = 0) -> None:
        self.format = format
        self.requests: list[dict[str, Any]] = []
        self._answers: list[Answer] = []
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"{self.base_url}/sms"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def answer_with(self, *answers: Answer | int) -> None:
        """The next answers, in order (a bare int is that status with the format's body)."""
        with self._lock:
            self._answers.extend(a if isinstance(a, Answer) else Answer(a) for a in answers)

    def release(self) -> None:
        self._released.set()

    def _receive(self, request: dict[str, Any]) -> tuple[Answer, int]:
        with self._lock:
            self.requests.append(request)
            answer = self._answers.pop(0) if self._answers else Answer()
            return answer, len(self.requests)

    def _body(self, answer: Answer, number: int, request: dict[str, Any]) -> Any:
        if answer.body is not None:
            return answer.body
        if self.format == "whatsapp":
            return _cloud_api_body(answer.status, number, request)
        if self.format == "zenziva":
            if answer.status != 200:
                return {"status": "0", "text": "Gangguan server"}
            return {
                "messageId": f"zz-{number}",
                "to": request["to"],
                "status": "1",
                "text": "Success",
            }
        return {"message_id": f"gw-{number}"} if answer.status == 200 else {"error": "ditolak"}


def _cloud_api_body(status: int, number: int, request: dict[str, Any]) -> Any:
    """The Cloud API's answers: the accepted message's ``wamid``, or a Graph API error."""
    if status == 200:
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": request.get("to"), "wa_id": request.get("to")}],
            "messages": [{"id": f"wamid.uji-{number}"}],
        }
    # 131026 not a WhatsApp number, 190 token refused, 132001 no such template.
    known = {429: 130429, 400: 131026, 401: 190, 404: 132001}
    code = known.get(status, 131000 if status >= 500 else 100)
    return {"error": {"message": f"(#{code}) uji", "type": "OAuthException", "code": code}}


def _parse(content_type: str, raw: bytes) -> dict[str, Any]:
    if content_type.startswith("application/json"):
        parsed: dict[str, Any] = json.loads(raw)
        return parsed
    return {k: v[0] if len(v) == 1 else v for k, v in parse_qs(raw.decode()).items()}


def _handler(gateway: GatewayServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            fields = _parse(self.headers.get("Content-Type", ""), raw)
            request = {"path": self.path, "headers": dict(self.headers), **fields}
            answer, number = gateway._receive(request)
            if answer.hold:
                gateway._released.wait(HOLD_LIMIT_SECONDS)
            body = gateway._body(answer, number, request)
            payload = body if isinstance(body, bytes) else json.dumps(body).encode()
            # A held answer finds the client gone: that is the point, not an error.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:  # keep the test output quiet
            pass

    return Handler


def main(argv: list[str] | None = None) -> None:
    """``python -m tools.harness.sms_gateway PORT``: a JSON gateway accepting every SMS until it
    is stopped, in a process of its own (``make bench``'s, so its work is not the bench's)."""
    [port] = sys.argv[1:] if argv is None else argv
    GatewayServer("json", int(port))._server.serve_forever()


if __name__ == "__main__":
    main()
