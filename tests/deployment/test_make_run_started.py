"""``make run`` started for real (``tools.run_embedded``, the embedded default under a temporary
data directory, free ports): every process of its list runs its own module under the runner it
became, and Ctrl-C stops them all."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import psutil

from shared.runtime.settings.project import PROJECT_ROOT
from tools.bench.stack_memory import environment, kind, wait_ready

EXPECTED = {
    "launcher",
    "redis",
    "intake-api",
    "workflow-api",
    "intake-worker",
    "workflow-worker",
    "notifier-worker",
    "beat",
    "flower",
}


def test_make_run_starts_every_process_with_its_module_and_ctrl_c_stops_them(
    tmp_path: Path,
) -> None:
    env, ports = environment(tmp_path / "var")
    log = tmp_path / "make-run.log"
    with log.open("wb") as out:
        launcher = subprocess.Popen(
            [sys.executable, "-m", "tools.run_embedded"],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_ready(launcher, log, ports)
        root = psutil.Process(launcher.pid)
        # The launcher became the runner: the same process, with the standard library only.
        assert "tools.procfile" in " ".join(root.cmdline())
        running = [root, *root.children(recursive=True)]
        assert {kind(p) for p in running} == EXPECTED
        launcher.send_signal(signal.SIGINT)
        assert launcher.wait(timeout=60) == 130
        assert not [p for p in running[1:] if p.is_running() and p.status() != "zombie"]
    finally:
        if launcher.poll() is None:  # failed above: nothing of this run may outlive the test
            for process in psutil.Process(launcher.pid).children(recursive=True):
                process.kill()
            launcher.kill()
            launcher.wait()
    assert "Ctrl-C stops every process." in log.read_text()
