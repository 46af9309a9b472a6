"""``python -m tools.attachments delete``: an operator removes attachments' files (original and
thumbnail) from the configured store, and only those."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

from shared.attachments import open_store, original_key, thumbnail_key
from shared.runtime.settings import Settings
from shared.runtime.settings.project import PROJECT_ROOT


def test_delete_removes_the_named_attachments_files_only(tmp_path: Path) -> None:
    store = open_store(Settings(deployment={"data_dir": tmp_path}).attachments)
    gone, kept = uuid.uuid4(), uuid.uuid4()
    for attachment in (gone, kept):
        store.put(original_key(attachment), b"file", "image/jpeg")
        store.put(thumbnail_key(attachment), b"thumb", "image/jpeg")
    env = {"PATH": "/usr/bin:/bin", "PENGADUAN_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "tools.attachments", "delete", str(gone)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{gone}: deleted\n"
    remaining = sorted(
        p.relative_to(tmp_path / "attachments").as_posix()
        for p in tmp_path.rglob("*")
        if p.is_file()
    )
    assert remaining == [f"originals/{kept}", f"thumbnails/{kept}"]


def test_an_id_that_is_no_uuid_deletes_nothing(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PENGADUAN_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "tools.attachments", "delete", "../../etc/passwd"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "not an attachment id" in done.stdout
