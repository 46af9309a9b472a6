"""The settings of the attachments (*lampiran*) and their store. Each field reads the variable its
``validation_alias`` names, as in ``shared.runtime.settings.groups``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import SecretStr

from shared.runtime.settings.groups import Group, setting


class AttachmentSettings(Group):
    """Attachments (*lampiran*): the files a complainant attaches, and the store they are kept in
    (shared/attachments/; docs/ATTACHMENTS.md). Intake writes to it, the workflow reads from it."""

    max_files: int = setting(
        "PENGADUAN_ATTACHMENTS_MAX_FILES", 5, "Files a complaint may have attached.", ge=1
    )
    max_bytes: int = setting(
        "PENGADUAN_ATTACHMENTS_MAX_BYTES",
        10 * 1024 * 1024,
        "The largest file accepted, in bytes (a larger one is refused with 413).",
        ge=1,
    )
    backend: Literal["directory", "s3"] = setting(
        "PENGADUAN_ATTACHMENTS_BACKEND",
        "directory",
        "Where the files are kept: `directory` (the embedded default: files under the "
        "attachments directory) or `s3` (an S3-compatible object store; compose runs MinIO).",
    )
    directory: Path | None = setting(
        "PENGADUAN_ATTACHMENTS_DIRECTORY",
        None,
        "The directory of the `directory` backend. Unset: `attachments/` under the data directory.",
    )
    s3_endpoint_url: str | None = setting(
        "PENGADUAN_ATTACHMENTS_S3_ENDPOINT_URL",
        None,
        "The object store's address (e.g. `http://minio:9000`); unset, the S3 client's own.",
    )
    s3_bucket: str = setting(
        "PENGADUAN_ATTACHMENTS_S3_BUCKET",
        "pengaduan-attachments",
        "The bucket the files are kept in (created at first use when missing).",
        min_length=3,
    )
    s3_access_key: str | None = setting(
        "PENGADUAN_ATTACHMENTS_S3_ACCESS_KEY", None, "The object store's access key."
    )
    s3_secret_key: SecretStr | None = setting(
        "PENGADUAN_ATTACHMENTS_S3_SECRET_KEY", None, "The object store's secret key."
    )
    s3_region: str = setting(
        "PENGADUAN_ATTACHMENTS_S3_REGION", "us-east-1", "The object store's region."
    )
