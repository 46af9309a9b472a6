"""The attachment store's files into a backup set and back: the directory store's tree copied,
or every object of the S3 bucket listed and downloaded (boto3, the client the store itself
uses) and uploaded again with its media type. One file of the set per key, the key its path."""

from __future__ import annotations

import shutil
from pathlib import Path

from shared.attachments.s3_store import S3Store
from shared.runtime.settings.attachments import AttachmentSettings
from tools.backup.manifest import AttachmentPart


def take(settings: AttachmentSettings, target: Path) -> AttachmentPart:
    target.mkdir(parents=True, exist_ok=True)
    if settings.backend == "s3":
        return AttachmentPart(
            backend="s3", path=target.name, media_types=_download(settings, target)
        )
    source = _directory(settings)
    if source.is_dir():
        # Drafts (".<name>.<random>") are files being written: never a stored key.
        shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))
    return AttachmentPart(backend="directory", path=target.name)


def put_back(settings: AttachmentSettings, part: AttachmentPart, source: Path) -> int:
    """Restore the set's files into the store; returns how many. The directory store is
    replaced whole; the bucket gets every object of the set (objects newer than the set stay,
    named by no row of the restored databases)."""
    files = [path for path in sorted(source.rglob("*")) if path.is_file()]
    if settings.backend == "s3":
        store = S3Store.from_settings(settings)
        store.ensure_bucket()
        for path in files:
            key = path.relative_to(source).as_posix()
            media_type = part.media_types.get(key, "application/octet-stream")
            store.client.upload_file(
                str(path), store.bucket, key, ExtraArgs={"ContentType": media_type}
            )
        return len(files)
    target = _directory(settings)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return len(files)


def _directory(settings: AttachmentSettings) -> Path:
    if settings.directory is None:
        raise ValueError("the attachments directory is unset (Settings fills it in)")
    return settings.directory


def _download(settings: AttachmentSettings, target: Path) -> dict[str, str]:
    store = S3Store.from_settings(settings)
    store.ensure_bucket()
    media_types: dict[str, str] = {}
    for page in store.client.get_paginator("list_objects_v2").paginate(Bucket=store.bucket):
        for item in page.get("Contents", []):
            key = str(item["Key"])
            path = target.joinpath(*key.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            store.client.download_file(store.bucket, key, str(path))
            head = store.client.head_object(Bucket=store.bucket, Key=key)
            media_types[key] = str(head.get("ContentType", "application/octet-stream"))
    return media_types
