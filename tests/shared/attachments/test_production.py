"""Production mode and the attachment store: intake and the workflow run in containers of their
own, so a process that touches attachments refuses a store only it could see."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.runtime.production_checks import attachment_store_problems
from shared.runtime.settings import Settings


def test_the_embedded_default_directory_is_refused_in_production(tmp_path: Path) -> None:
    settings = Settings(deployment={"data_dir": tmp_path})
    assert settings.attachments.directory == tmp_path / "attachments"
    [problem] = attachment_store_problems(settings)
    assert "PENGADUAN_ATTACHMENTS_DIRECTORY" in problem


def test_a_directory_named_for_a_shared_volume_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PENGADUAN_ATTACHMENTS_DIRECTORY", str(tmp_path / "shared"))
    settings = Settings()
    assert settings.attachments.directory == tmp_path / "shared"
    assert attachment_store_problems(settings) == []


def test_an_object_store_needs_its_credentials() -> None:
    missing = Settings(attachments={"backend": "s3"})
    assert attachment_store_problems(missing) == [
        "PENGADUAN_ATTACHMENTS_S3_ACCESS_KEY is not set",
        "PENGADUAN_ATTACHMENTS_S3_SECRET_KEY is not set",
    ]
    given = Settings(
        attachments={"backend": "s3", "s3_access_key": "office", "s3_secret_key": "x" * 20}
    )
    assert attachment_store_problems(given) == []
