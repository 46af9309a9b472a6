"""What each kind of process imports when it starts: a worker, beat and Flower never import the
web stack (FastAPI, uvicorn) nor what only the migrations or the upload checks need; every
byte a module imports is in every pool child too. Each entry module is imported in a fresh
interpreter, as ``celery -A <module>`` does first, and its ``sys.modules`` read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared.runtime.settings.project import PROJECT_ROOT

# Imported by the APIs (and migrations) only.
WEB_AND_MIGRATIONS = ("fastapi", "starlette", "uvicorn", "asgi_correlation_id", "alembic")
# An upload's checks and the reports' writers: only the processes that take uploads or write
# reports (the APIs) need them.
UPLOADS_AND_REPORTS = ("pypdf", "openpyxl", "fpdf")

# The entry modules of every process that runs Celery rather than a web server.
CELERY_PROCESSES = (
    "services.intake.worker",
    "services.workflow.worker",
    "services.notifier.worker",
    "shared.process.beat_app",
    "shared.process.flower_app",
)

PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def imported_by(module: str, tmp_path: Path) -> set[str]:
    """The top-level packages a fresh interpreter holds once ``module`` is imported."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PENGADUAN_")}
    env["PENGADUAN_DATA_DIR"] = str(tmp_path / "var")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, module],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize("module", CELERY_PROCESSES)
def test_celery_processes_do_not_import_the_web_stack(module: str, tmp_path: Path) -> None:
    imported = imported_by(module, tmp_path)
    assert "celery" in imported  # the probe saw the module's imports
    assert imported.isdisjoint(WEB_AND_MIGRATIONS + UPLOADS_AND_REPORTS), sorted(
        imported & {*WEB_AND_MIGRATIONS, *UPLOADS_AND_REPORTS}
    )


@pytest.mark.parametrize("module", CELERY_PROCESSES)
def test_celery_processes_do_not_load_the_token_and_password_libraries(
    module: str, tmp_path: Path
) -> None:
    """PyJWT and argon2 sign, read and hash staff credentials, which only the APIs do; the
    workflow worker reaches ``services.workflow.staff.auth`` through the step tasks, and the two
    libraries cost each of its processes about 2 MiB (``tools.bench.stack_memory --each``)."""
    imported = imported_by(module, tmp_path)
    assert "celery" in imported
    assert imported.isdisjoint({"jwt", "argon2"}), sorted(imported & {"jwt", "argon2"})


@pytest.mark.parametrize("module", ["services.intake.api.app", "services.workflow.api.app"])
def test_the_apis_import_the_report_writers_only_to_write_a_report(
    module: str, tmp_path: Path
) -> None:
    """openpyxl and fpdf2 are loaded by the first XLSX or PDF download, not at start."""
    imported = imported_by(module, tmp_path)
    assert "fastapi" in imported
    assert imported.isdisjoint({"openpyxl", "fpdf"}), sorted(imported & {"openpyxl", "fpdf"})


def test_the_make_run_runner_imports_only_the_standard_library(tmp_path: Path) -> None:
    """``make run``'s process for the whole run (``tools.procfile``): none of the application
    its launcher imported to migrate and seed."""
    # What the interpreter's start-up brings whatever it runs (site's hooks start with "_").
    started = {"tools", "sitecustomize"}
    imported = {n for n in imported_by("tools.procfile", tmp_path) - started if n[0] != "_"}
    standard = set(sys.stdlib_module_names) | set(sys.builtin_module_names)
    assert imported <= standard, sorted(imported - standard)
