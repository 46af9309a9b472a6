"""``make run``'s runner (``tools.procfile``), with real processes: every line prefixed with its
process's name; one process exiting, or Ctrl-C, stops them all."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

from shared.runtime.settings.project import PROJECT_ROOT

SLEEPER = "import time; print('ready', flush=True); time.sleep(600)"


def runner(procs: dict[str, list[str]]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tools.procfile", json.dumps(procs)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_one_process_exiting_stops_the_others_with_its_status() -> None:
    procs = {
        "sleeper": [sys.executable, "-c", SLEEPER],
        "quitter": [sys.executable, "-c", "print('bye'); raise SystemExit(3)"],
    }
    done = runner(procs)
    out, _ = done.communicate(timeout=60)
    assert done.returncode == 3
    lines = out.splitlines()
    assert any(line.endswith("quitter | bye") for line in lines), out
    assert any("sleeper stopped" in line for line in lines), out


def test_ctrl_c_stops_every_process() -> None:
    procs = {name: [sys.executable, "-c", SLEEPER] for name in ("one", "two")}
    running = runner(procs)
    assert running.stdout is not None
    ready: set[str] = set()
    while ready != set(procs):  # each process's first line, prefixed with its name
        line = running.stdout.readline()
        assert line, "the runner ended before its processes were up"
        if line.rstrip().endswith("| ready"):
            ready.add(line.split()[1])
    running.send_signal(signal.SIGINT)
    rest, _ = running.communicate(timeout=60)
    assert running.returncode == 130
    assert "one stopped" in rest
    assert "two stopped" in rest
