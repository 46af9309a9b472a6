"""The chaos suite: the whole complaint desk as separate processes, a stream of complaints walked
through the five SOP steps by scripted staff, and a seeded fault injector killing workers,
restarting and stopping Redis, taking the SMTP server and the SMS gateway down, delivering
messages twice, and restarting, stopping, crowding or locking the database. At the end every
complaint must have been answered exactly once.

    python -m tools.chaos [--complaints 2000] [--faults 100] [--seed N] [--redis-outage 30]

It runs on PostgreSQL when ``PENGADUAN_TEST_DATABASE_URL`` is set (a server of its own, started
from Debian's PostgreSQL binaries: the machine's server is never restarted), on SQLite otherwise,
always with a private Redis (append-only file on, as in docker-compose). Exit status 0 only when
nothing was lost, nothing doubled, no case is stuck, nothing became a dead letter and every
fault healed.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from rich.console import Console

from tools.chaos.faults import Injector
from tools.chaos.healing import memory
from tools.chaos.people import Staff, Stream
from tools.chaos.results import Config, Results
from tools.chaos.system import System
from tools.chaos.verdict import quiet, report, verdict


@contextmanager
def _workdir(config: Config) -> Iterator[Path]:
    if config.workdir is not None:
        config.workdir.mkdir(parents=True, exist_ok=True)
        yield config.workdir
        return
    path = Path(tempfile.mkdtemp(prefix="pengaduan-chaos-"))
    try:
        yield path
    finally:
        if not config.keep:
            shutil.rmtree(path, ignore_errors=True)


def run(config: Config, console: Console | None = None) -> Results:
    console = console or Console()
    seed = config.seed if config.seed is not None else random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    results = Results(seed=seed)
    console.print(
        f"[bold]chaos seed {seed}[/bold]: {config.complaints} complaints, {config.faults} faults"
    )
    started = time.monotonic()
    with _workdir(config) as workdir, ExitStack() as stack:
        results.workdir = str(workdir)
        system = System(workdir, stack)
        stop = threading.Event()
        stream = Stream(system.apis[0].url, config.complaints, config.file_interval, results)
        staff = Staff(system.desk, config.staff_per_role, results)
        injector = Injector(system, config, results, rng)
        results.memory_before = memory(system)
        threads = [
            threading.Thread(target=part, args=(stop,), daemon=True, name=name)
            for name, part in (
                ("stream", lambda stop: stream.run(stop, injector.progress)),
                ("staff", staff.run),
                ("injector", injector.run),
            )
        ]
        for thread in threads:
            thread.start()
        threads[0].join()
        injector.finished.wait()  # every fault injected (and the part it stopped started again)
        codes = set(stream.accepted)
        results.complaints_accepted = len(codes)
        console.print(f"stream and faults done after {time.monotonic() - started:.0f} s")
        results.settled = _settle(system, codes, config.settle_timeout, console)
        results.memory_after = memory(system)
        stop.set()
        threads[1].join(30)
        threads[2].join(30)
        stream.client.close()
        injector.close()
        verdict(system, codes, results)
        results.seconds = time.monotonic() - started
        if config.keep or not results.ok:
            config.keep = True
    report(results, console)
    return results


def _settle(system: System, codes: set[str], timeout: float, console: Console) -> bool:
    """Wait until quiet, then a while longer (a redelivery after the visibility timeout would
    come within it); at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    state = ""
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        done, state = quiet(system, codes)
        if done:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > 8:
                return True
        else:
            quiet_since = None
        time.sleep(0.5)
    console.print(f"[red]not quiet after {timeout:.0f} s[/red]: {state}")
    return False


def parse(argv: list[str]) -> Config:
    env = os.environ.get
    parser = argparse.ArgumentParser(
        prog="python -m tools.chaos", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--complaints", type=int, default=int(env("CHAOS_COMPLAINTS", "2000")))
    parser.add_argument("--faults", type=int, default=int(env("CHAOS_FAULTS", "100")))
    parser.add_argument("--seed", type=int, default=int(env("CHAOS_SEED", "-1")))
    parser.add_argument("--redis-outage", type=float, default=30.0, help="seconds")
    parser.add_argument("--provider-outage", type=float, default=15.0, help="seconds")
    parser.add_argument(
        "--database-outage",
        type=float,
        nargs=2,
        default=(30.0, 120.0),
        metavar=("MIN", "MAX"),
        help="seconds the database server is stopped, or one service's database refuses",
    )
    parser.add_argument(
        "--database-hold",
        type=float,
        nargs=2,
        default=(10.0, 30.0),
        metavar=("MIN", "MAX"),
        help="seconds every connection slot stays taken, or a SQLite file locked (16 at least)",
    )
    parser.add_argument("--file-interval", type=float, default=0.25, help="seconds")
    parser.add_argument("--staff-per-role", type=int, default=3)
    parser.add_argument("--settle-timeout", type=float, default=600.0, help="seconds")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args(argv)
    return Config(
        complaints=args.complaints,
        faults=args.faults,
        seed=None if args.seed < 0 else args.seed,
        redis_outage=args.redis_outage,
        provider_outage=args.provider_outage,
        database_outage=tuple(args.database_outage),
        database_hold=tuple(args.database_hold),
        file_interval=args.file_interval,
        staff_per_role=args.staff_per_role,
        settle_timeout=args.settle_timeout,
        workdir=args.workdir,
        keep=args.keep,
    )


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    results = run(parse(sys.argv[1:] if argv is None else argv))
    return 0 if results.ok else 1


if __name__ == "__main__":
    sys.exit(main())
