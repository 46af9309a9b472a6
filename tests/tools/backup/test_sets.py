"""A backup set restores what it took; a set that is incomplete, damaged or for other settings
is refused with nothing changed, and so is a restore over a desk whose Redis answers."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared.runtime.settings import Settings
from shared.runtime.settings.project import SERVICES
from tests.tools.backup.conftest import rows, write_rows
from tools.backup import sets
from tools.backup.__main__ import main
from tools.backup.manifest import MANIFEST, BrokenBackup, verified

TAKEN = datetime(2026, 12, 7, 19, 0, tzinfo=UTC)  # 02:00 WIB, the nightly backup


def quiet(_: str) -> None:
    return None


def taken_set(settings: Settings, tmp_path: Path) -> Path:
    return sets.create(settings, tmp_path / "backups", TAKEN, say=quiet)


def test_a_set_names_every_file_with_its_digest(embedded: Settings, tmp_path: Path) -> None:
    backup = taken_set(embedded, tmp_path)
    assert backup.name == "2026-12-07T190000Z"
    manifest = verified(backup)
    assert manifest.taken_at == TAKEN
    assert [part.path for part in manifest.databases] == [
        f"databases/{service}.sqlite" for service in SERVICES
    ]
    listed = {entry.path for entry in manifest.files}
    assert "attachments/originals/a1" in listed
    assert manifest.keys == ["keys/jwt-secret"]
    assert manifest.redis is None  # no Redis answered, and make run's never ran here


def test_a_restore_puts_back_databases_files_and_keys(embedded: Settings, tmp_path: Path) -> None:
    backup = taken_set(embedded, tmp_path)
    data = embedded.deployment.data_dir
    write_rows(data / "intake.db", "a complaint filed after the backup")
    shutil.rmtree(data / "attachments")
    (data / "jwt-secret").unlink()

    sets.restore(embedded, backup, say=quiet)

    assert rows(data / "intake.db") == [("intake-complaint",)]
    assert (data / "attachments" / "originals" / "a1").read_bytes().startswith(b"%PDF")
    assert (data / "jwt-secret").read_text() == "the-embedded-secret"


def restore_exit(
    settings: Settings, backup: Path, monkeypatch: pytest.MonkeyPatch, *args: str
) -> int:
    monkeypatch.setenv("PENGADUAN_DATA_DIR", str(settings.deployment.data_dir))
    monkeypatch.setenv("PENGADUAN_EMBEDDED_REDIS_PORT", str(settings.broker.embedded_redis_port))
    return main(["restore", str(backup), *args])


def test_a_set_without_its_manifest_is_refused(
    embedded: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    backup = taken_set(embedded, tmp_path)
    (backup / MANIFEST).unlink()  # as a set whose backup never finished
    write_rows(embedded.deployment.data_dir / "intake.db", "newer")

    assert restore_exit(embedded, backup, monkeypatch) == 1
    assert "incomplete backup" in capsys.readouterr().err
    assert rows(embedded.deployment.data_dir / "intake.db") == [("newer",)]


def test_a_damaged_file_is_refused_and_nothing_changes(
    embedded: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    backup = taken_set(embedded, tmp_path)
    (backup / "attachments" / "originals" / "a1").write_bytes(b"%PDF-1.7 the complainant's lettex")
    (backup / "databases" / "notifier.sqlite").unlink()
    write_rows(embedded.deployment.data_dir / "intake.db", "newer")

    assert restore_exit(embedded, backup, monkeypatch) == 1
    refusal = capsys.readouterr().err
    assert "restore refused, nothing changed" in refusal
    assert "attachments/originals/a1: SHA-256 differs" in refusal
    assert "databases/notifier.sqlite: missing" in refusal
    assert rows(embedded.deployment.data_dir / "intake.db") == [("newer",)]


def test_a_set_of_sqlite_does_not_restore_into_postgresql(
    embedded: Settings, tmp_path: Path
) -> None:
    backup = taken_set(embedded, tmp_path)
    elsewhere = embedded.model_copy(
        update={
            "database": embedded.database.model_copy(
                update={"intake_url": "postgresql+psycopg://pg/intake"}
            )
        }
    )
    with pytest.raises(
        BrokenBackup, match="intake: the set holds sqlite, the settings name postgresql"
    ):
        sets.restore(elsewhere, backup, say=quiet)


def test_a_running_desk_is_refused_unless_forced(
    embedded: Settings, tmp_path: Path, broker_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = taken_set(embedded, tmp_path)
    write_rows(embedded.deployment.data_dir / "intake.db", "newer")
    monkeypatch.setenv("PENGADUAN_REDIS_URL", broker_url)  # the desk's Redis answers
    running = Settings(deployment={"data_dir": embedded.deployment.data_dir})

    with pytest.raises(sets.DeskRunning, match="Redis answers"):
        sets.restore(running, backup, say=quiet)
    assert rows(embedded.deployment.data_dir / "intake.db") == [("newer",)]

    said: list[str] = []
    sets.restore(running, backup, force=True, say=said.append)
    assert rows(embedded.deployment.data_dir / "intake.db") == [("intake-complaint",)]
