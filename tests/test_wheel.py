"""What the image installs: the project's wheel, without its source tree. Built and run here as
the Dockerfile does (no Docker engine on this machine): every migration, template and module a
process needs must be inside it, since
`shared.runtime.settings.project.PROJECT_ROOT` is then site-packages."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from shared.messaging.contracts import NotificationKind
from shared.runtime.settings.project import PROJECT_ROOT, SERVICES

# What the Dockerfile copies into its build stage before `pip wheel .`.
BUILD_CONTEXT = ("pyproject.toml", "README.md", "shared", "services", "tools")


def build_context(directory: Path) -> Path:
    """A copy of what the image is built from: setuptools writes build/ and *.egg-info beside
    the source, so two runs building from the checkout itself (.ci/run's parallel shifted-date
    runs) broke each other's wheel."""
    for name in BUILD_CONTEXT:
        source = PROJECT_ROOT / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(source, directory / name, ignore=ignore)
        else:
            shutil.copy2(source, directory / name)
    return directory


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the image's build context, unpacked to a directory of
    its own."""
    out = tmp_path_factory.mktemp("wheel")
    context = build_context(tmp_path_factory.mktemp("context"))
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"),
            *("--no-build-isolation", "--wheel-dir", str(out), str(context)),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = out.glob("pengaduan-*.whl")
    target = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def run_installed(site: Path, tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    """``python -c code`` importing the project from ``site`` only (the working directory is
    elsewhere, and PYTHONPATH comes before the development install)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PENGADUAN_")}
    env |= {
        "PYTHONPATH": str(site),
        "PENGADUAN_DATA_DIR": str(tmp_path / "var"),
        **{
            f"PENGADUAN_{s.upper()}_DATABASE_URL": f"sqlite:///{tmp_path / f'{s}.db'}"
            for s in SERVICES
        },
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_installed_project_is_imported_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    done = run_installed(
        installed, tmp_path, "import shared.runtime.settings.project as s; print(s.PROJECT_ROOT)"
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == installed


def test_the_wheel_leaves_the_dev_only_tools_out(installed: Path) -> None:
    """The harness and the bench and chaos runners import the dev extra, which the image does
    not install; of tools/ the wheel holds modules such as `make run`'s tools.run_embedded, and
    one package: tools.backup, which compose's backup service runs."""
    assert (installed / "tools" / "run_embedded.py").is_file()
    assert sorted(p.name for p in (installed / "tools").iterdir() if p.is_dir()) == ["backup"]


def test_the_installed_backup_tool_runs(installed: Path, tmp_path: Path) -> None:
    done = run_installed(
        installed,
        tmp_path,
        "import runpy, sys; sys.argv = ['tools.backup', 'restore', '--help']; "
        "runpy.run_module('tools.backup', run_name='__main__')",
    )
    assert done.returncode == 0, done.stderr
    assert "--redis-dir" in done.stdout


def test_the_installed_migrations_bring_every_database_to_head(
    installed: Path, tmp_path: Path
) -> None:
    # As compose's `migrate` runs it: `python -m shared.database.migrations`, no argument.
    done = run_installed(
        installed,
        tmp_path,
        "import runpy; runpy.run_module('shared.database.migrations', run_name='__main__')",
    )
    assert done.returncode == 0, done.stderr
    newest = {
        service: max(
            p.name.split("_")[0]
            for p in (PROJECT_ROOT / "services" / service / "migrations" / "versions").glob("0*.py")
        )
        for service in SERVICES
    }
    for service in SERVICES:
        with sqlite3.connect(tmp_path / f"{service}.db") as db:
            [(revision,)] = db.execute("SELECT version_num FROM alembic_version").fetchall()
        assert revision == newest[service]


def test_the_installed_notifier_writes_every_kind_of_message(
    installed: Path, tmp_path: Path
) -> None:
    """The email templates are data files beside the code: a wheel without them would install
    and start, then fail at the first email."""
    code = """
from datetime import UTC, datetime
from services.notifier.messages import compose
from shared.messaging.contracts import Channel, NotificationKind, NotificationRequestedV1, Reporter
from shared.messaging.contracts.messages import OneTimeLink
due = datetime(2026, 12, 18, 9, 0, tzinfo=UTC)
for kind in NotificationKind:
    composed = compose(NotificationRequestedV1(
        kind=kind, tracking_code="PGD-7KQ2-M9XD", recipient=Reporter(name="Siti", email="s@x.id"),
        channels=(Channel.EMAIL,), subject="Izin usaha", answer="Jawaban", note="Catatan",
        reply_due_at=due, access_link=OneTimeLink(token="tautan-sekali-pakai", expires_at=due),
    ))
    assert "PGD-7KQ2-M9XD" in composed.body and "PGD-7KQ2-M9XD" in composed.html, kind
    print(kind.value)
"""
    done = run_installed(installed, tmp_path, code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [kind.value for kind in NotificationKind]
