"""What a Procfile runner does, for ``make run``: start each process, print its lines prefixed
with its name, and stop them all when Ctrl-C comes or any one of them exits.

``tools.run_embedded`` checks the settings, migrates and seeds with the whole application
imported, then replaces itself (``exec``) with ``python -m tools.procfile``: the process that
stays for the whole run imports only the standard library. honcho, which ran ``make run``
before, keeps a forked Python of its own beside each process it runs: under the launcher, one
copy of the whole application per process (about 90 MB each); even exec'd alone, 10 Python
processes holding 36 MiB PSS for nine commands (psutil, 2026-12-07), against 7 MiB for this
one. On a 700 MiB budget for the whole stack (issue 25), that is why this is written by hand.

Imports nothing but the standard library, on purpose.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from types import FrameType
from typing import IO

# As long as Celery's warm shutdown and Flower's last state save need, then SIGKILL.
KILL_WAIT = 10.0
COLOURS = ("36", "33", "32", "35", "34", "31", "96", "93", "92")


class Runner:
    def __init__(self, procs: Mapping[str, list[str]], out: IO[str], *, colour: bool) -> None:
        self.procs = dict(procs)
        self.out = out
        self.colour = colour
        self.width = max(len(name) for name in self.procs)
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.followers: list[threading.Thread] = []
        self.returncode: int | None = None
        self.stopping = threading.Event()
        self.exited = threading.Condition()
        self.lock = threading.RLock()  # a signal handler may print while a line is printed

    def say(self, name: str, line: str) -> None:
        prefix = f"{time.strftime('%H:%M:%S')} {name:<{self.width}} | "
        if self.colour:
            index = list(self.procs).index(name) if name in self.procs else -1
            code = COLOURS[index % len(COLOURS)] if index >= 0 else "0"
            prefix = f"\033[{code}m{prefix}\033[0m"
        with self.lock:
            self.out.write(prefix + line.rstrip("\n") + "\n")
            self.out.flush()

    def start(self) -> None:
        for name, argv in self.procs.items():
            child = subprocess.Popen(
                argv,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                # Its own process group: Ctrl-C reaches this runner only, which then stops each
                # process (and a worker's pool children with it) in order.
                start_new_session=True,
            )
            self.children[name] = child
            self.say("system", f"{name} started (pid={child.pid})")
            follower = threading.Thread(target=self._follow, args=(name, child), daemon=True)
            follower.start()
            self.followers.append(follower)

    def _follow(self, name: str, child: subprocess.Popen[bytes]) -> None:
        for raw in iter(child.stdout.readline if child.stdout else bytes, b""):
            self.say(name, raw.decode(errors="replace"))
        code = child.wait()
        self.say("system", f"{name} stopped (rc={code})")
        with self.exited:
            if self.returncode is None:
                self.returncode = code
            self.exited.notify_all()

    def signalled(self, signum: int, _frame: FrameType | None) -> None:
        self.say("system", f"{signal.Signals(signum).name} received")
        with self.exited:
            if self.returncode is None:
                self.returncode = 130 if signum == signal.SIGINT else 143
            self.exited.notify_all()

    def _running(self) -> list[subprocess.Popen[bytes]]:
        return [child for child in self.children.values() if child.poll() is None]

    def _signal_all(self, signum: int) -> None:
        for child in self._running():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signum)

    def loop(self) -> int:
        """Until a signal comes or a process exits; then SIGTERM to every process, SIGKILL to
        those still there ``KILL_WAIT`` seconds later."""
        with self.exited:
            while self.returncode is None:
                self.exited.wait(0.5)
        self.say("system", "sending SIGTERM to all processes")
        self._signal_all(signal.SIGTERM)
        deadline = time.monotonic() + KILL_WAIT
        while self._running() and time.monotonic() < deadline:
            time.sleep(0.1)
        if self._running():
            self.say("system", "sending SIGKILL to all remaining processes")
            self._signal_all(signal.SIGKILL)
        for child in self.children.values():
            child.wait()
        # Each process's last lines and its "stopped" line are printed by its follower: wait for
        # them, or the runner may exit before saying how each process ended.
        for follower in self.followers:
            follower.join(timeout=KILL_WAIT)
        return self.returncode or 0


def main(argv: list[str]) -> int:
    """``python -m tools.procfile '<JSON object: name -> argv>'``."""
    procs: dict[str, list[str]] = json.loads(argv[0])
    runner = Runner(procs, sys.stdout, colour=sys.stdout.isatty())
    signal.signal(signal.SIGINT, runner.signalled)
    signal.signal(signal.SIGTERM, runner.signalled)
    runner.start()
    return runner.loop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
