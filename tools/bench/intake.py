"""The intake part of a bench run: complaints filed by a fixed number of clients at once, against
the real intake API or the bare one."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable

import aiohttp
from rich.progress import Progress

from tools.bench.report import Config, Load


def complaint(number: int) -> bytes:
    return json.dumps(
        {
            "reporter": {
                "name": "Budi Santoso",
                "email": f"budi.{number}@example.id",
                "phone": "081234567890",
            },
            "subject": f"Izin usaha belum terbit ({number})",
            "description": "Permohonan izin usaha kami sudah tiga minggu belum ada kabar.",
            "channels": ["email", "sms"],
        }
    ).encode()


async def _hammer(url: str, config: Config, load: Load, tick: Callable[[], None]) -> None:
    body = complaint(0)
    target = f"{url}/api/v1/complaints"
    headers = {"Content-Type": "application/json"}
    started = time.perf_counter()
    measure_from = started + config.warmup
    until = measure_from + config.seconds
    # A new connection per request, as a citizen's filing is: kept-alive connections would stay
    # with whichever uvicorn process accepted them first and leave the others idle.
    connector = aiohttp.TCPConnector(limit=config.concurrency, force_close=True)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one_client() -> None:
            while (now := time.perf_counter()) < until:
                async with session.post(target, data=body, headers=headers) as r:
                    await r.read()
                    done = time.perf_counter()
                if now < measure_from:
                    continue
                if r.status == 202:
                    load.accepted += 1
                    load.latencies.append(done - now)
                else:
                    load.refused.add(str(r.status))
                tick()

        await asyncio.gather(*(one_client() for _ in range(config.concurrency)))
    load.seconds = config.seconds


def hammer(name: str, url: str, config: Config, progress: Progress) -> Load:
    load = Load(name)
    task = progress.add_task(f"{name}: {config.concurrency} clients", total=config.seconds)
    started = time.perf_counter() + config.warmup

    def tick() -> None:
        progress.update(
            task, completed=max(0.0, min(config.seconds, time.perf_counter() - started))
        )

    asyncio.run(_hammer(url, config, load, tick))
    progress.update(task, completed=config.seconds)
    return load
