"""The S3 backend's objects into a set and back, through an S3-compatible server (moto's, as
tests/shared/attachments uses for MinIO): each object's bytes and media type."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from shared.runtime.settings.attachments import AttachmentSettings
from tests.shared.attachments.conftest import S3_KEY, S3_SECRET, s3_client, s3_endpoint
from tools.backup import attachments

__all__ = ["s3_client", "s3_endpoint"]  # the fixtures, used here by name


def bucket_settings(endpoint: str, bucket: str) -> AttachmentSettings:
    return AttachmentSettings(
        backend="s3",
        s3_endpoint_url=endpoint,
        s3_bucket=bucket,
        s3_access_key=S3_KEY,
        s3_secret_key=S3_SECRET,
    )


def test_every_object_comes_back_with_its_media_type(
    s3_endpoint: str, s3_client: Any, tmp_path: Path
) -> None:
    settings = bucket_settings(s3_endpoint, f"backup-{uuid.uuid4().hex}")
    s3_client.create_bucket(Bucket=settings.s3_bucket)
    objects = {"originals/a1": (b"%PDF-1.7 a letter", "application/pdf")}
    objects["thumbnails/a2"] = (b"\xff\xd8 a photo", "image/jpeg")
    for key, (body, media_type) in objects.items():
        s3_client.put_object(Bucket=settings.s3_bucket, Key=key, Body=body, ContentType=media_type)

    part = attachments.take(settings, tmp_path / "attachments")
    assert part.media_types == {key: media_type for key, (_, media_type) in objects.items()}

    restored = bucket_settings(s3_endpoint, f"restored-{uuid.uuid4().hex}")  # a new, empty store
    assert attachments.put_back(restored, part, tmp_path / "attachments") == 2
    for key, (body, media_type) in objects.items():
        got = s3_client.get_object(Bucket=restored.s3_bucket, Key=key)
        assert (got["Body"].read(), got["ContentType"]) == (body, media_type)
