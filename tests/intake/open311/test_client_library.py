"""A GeoReport v2 client from PyPI (``civicbot``'s ``Open311Client``) against the intake API
served over real HTTP (uvicorn, in a thread): it lists the services, files a request and reads
it back, and is refused with the spec's errors.

The spec's reads are public and the library sends no key with them; this office's need the
partner's key (docs/OPEN311.md), so the partner gives the library a transport (its own
extension point) that adds ``api_key`` to every GET.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from civicbot.http import HttpError, HttpTransport, RateLimiter
from civicbot.open311 import Open311Client
from civicbot.registry import Endpoint

from services.intake.api.app import create_app
from tests.intake.conftest import ANSWER, answer
from tests.intake.open311.conftest import BASE, EMAIL, JURISDICTION, NAME
from tools.harness.processes import wait_for


class PartnerTransport(HttpTransport):
    """The library's transport, with the partner's key on every read."""

    def __init__(self, key: str) -> None:
        # No pause between calls: the library's politeness delay is for other cities' servers.
        super().__init__(rate_limiter=RateLimiter(min_interval=0))
        self.key = key

    def get_json(
        self,
        url: str,
        params: Any = None,
        headers: Any = None,
    ) -> Any:
        return super().get_json(url, {**(params or {}), "api_key": self.key}, headers)


@pytest.fixture
def served(configured: dict[str, str]) -> Iterator[str]:
    """The intake API on a free port of 127.0.0.1; its Open311 base address."""
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=0, log_config=None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started, 30, "the intake API listening")
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}{BASE}"
    server.should_exit = True
    thread.join(timeout=10)


def client_for(base_url: str, key: str) -> Open311Client:
    endpoint = Endpoint(id="madiun", name="DPMPTSP Kota Madiun", base_url=base_url, write=True)
    return Open311Client(endpoint, transport=PartnerTransport(key), jurisdiction_id=JURISDICTION)


def test_the_library_files_a_request_and_reads_it_closed_once_answered(
    served: str, key: str
) -> None:
    client = client_for(served, key)
    assert "PBG" in [s["service_code"] for s in client.list_services()]

    sent = client.create_request(
        "PBG",
        dry_run=False,
        confirm="SEND",
        api_key=key,
        validate_remote=True,  # checks the code against GET services first
        address_string="Jl. Pahlawan 37, Kota Madiun",
        description="Permohonan PBG kami sudah dua bulan tanpa kabar dari dinas.",
        first_name="Sri",
        last_name="Wahyuni",
        email=EMAIL,
    )
    [created] = sent.response
    code = created["service_request_id"]

    request = client.get_request(code)
    assert request is not None
    assert request["status"] == "open"
    assert request["service_code"] == "PBG"
    assert NAME not in json.dumps(request) and EMAIL not in json.dumps(request)
    assert [r["service_request_id"] for r in client.list_requests(status="open")] == [code]

    answer(code)
    closed = client.get_request(code)
    assert closed is not None
    assert closed["status"] == "closed"
    assert closed["status_notes"] == ANSWER
    assert client.list_requests(service_request_ids=[code])[0]["status"] == "closed"


def test_the_library_sees_the_spec_errors(served: str, key: str) -> None:
    stranger = client_for(served, "pgd311_bukan-kunci")
    with pytest.raises(HttpError) as refused:
        stranger.create_request(
            "PBG",
            dry_run=False,
            confirm="SEND",
            api_key="pgd311_bukan-kunci",
            address_string="Jl. Pahlawan 37",
            description="Permohonan PBG kami sudah dua bulan tanpa kabar.",
        )
    assert refused.value.status == 403
    assert json.loads(refused.value.body)[0]["code"] == 403

    with pytest.raises(HttpError) as missing:
        client_for(served, key).get_request("PGD-0000-0000")
    assert missing.value.status == 404
    assert "tidak ditemukan" in json.loads(missing.value.body)[0]["description"]
