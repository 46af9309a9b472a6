"""The attachment store's contract, run against both backends (a directory; an S3-compatible
server process standing in for MinIO, see conftest's ``s3_endpoint``): whole files in, whole
files out, a missing key is ``MissingAttachment``, a key cannot leave the store, and a file
read back is checked against the digest it was announced with."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest

from shared.attachments import (
    AttachmentCorrupt,
    AttachmentStore,
    InvalidKey,
    MissingAttachment,
    StoreUnavailable,
    open_store,
    original_key,
    read_verified,
    thumbnail_key,
)
from shared.attachments.directory_store import DirectoryStore
from shared.attachments.s3_store import S3Store
from shared.runtime.settings import Settings
from tests.shared.attachments.conftest import s3_settings
from tools.harness.redis_server import free_port


def test_a_file_put_is_read_back_whole_and_replaced_whole(store: AttachmentStore) -> None:
    key = original_key(uuid.uuid4())
    store.put(key, b"first version", "application/pdf")
    assert store.get(key) == b"first version"
    store.put(key, b"second", "application/pdf")
    assert store.get(key) == b"second"


def test_originals_and_thumbnails_are_apart(store: AttachmentStore) -> None:
    attachment = uuid.uuid4()
    store.put(original_key(attachment), b"original", "image/jpeg")
    store.put(thumbnail_key(attachment), b"thumb", "image/jpeg")
    assert store.get(original_key(attachment)) == b"original"
    assert store.get(thumbnail_key(attachment)) == b"thumb"


def test_a_missing_key_is_missing_and_deleting_it_is_no_error(store: AttachmentStore) -> None:
    key = original_key(uuid.uuid4())
    with pytest.raises(MissingAttachment):
        store.get(key)
    store.delete(key)
    store.put(key, b"x", "image/png")
    store.delete(key)
    with pytest.raises(MissingAttachment):
        store.get(key)


@pytest.mark.parametrize(
    "key", ["../outside", "originals/../../etc/passwd", "/etc/passwd", "a//b", "", "a\\b", "."]
)
def test_a_key_that_could_leave_the_store_is_refused(store: AttachmentStore, key: str) -> None:
    with pytest.raises(InvalidKey):
        store.put(key, b"x", "image/png")
    with pytest.raises(InvalidKey):
        store.get(key)


def test_a_read_is_verified_against_the_announced_digest(store: AttachmentStore) -> None:
    key = original_key(uuid.uuid4())
    store.put(key, b"evidence", "application/pdf")
    assert read_verified(store, key, hashlib.sha256(b"evidence").hexdigest()) == b"evidence"
    store.put(key, b"tampered", "application/pdf")
    with pytest.raises(AttachmentCorrupt):
        read_verified(store, key, hashlib.sha256(b"evidence").hexdigest())


def test_the_directory_backend_leaves_no_draft_and_writes_inside_its_root(tmp_path: Path) -> None:
    root = tmp_path / "files"
    store = DirectoryStore(root)
    attachment = uuid.uuid4()
    store.put(original_key(attachment), b"data", "image/png")
    assert [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()] == [
        f"originals/{attachment}"
    ]


def test_the_directory_backend_keeps_the_old_file_when_a_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = DirectoryStore(tmp_path)
    key = original_key(uuid.uuid4())
    store.put(key, b"kept", "image/png")

    def failing_replace(self: Path, target: Path) -> Path:
        raise OSError("disk full")

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(StoreUnavailable, match="disk full"):
        store.put(key, b"half", "image/png")
    monkeypatch.undo()
    assert store.get(key) == b"kept"
    assert sorted(p.name for p in (tmp_path / "originals").iterdir()) == [key.split("/")[1]]


def test_the_embedded_default_keeps_files_under_the_data_directory(tmp_path: Path) -> None:
    settings = Settings(deployment={"data_dir": tmp_path})
    assert settings.attachments.backend == "directory"
    assert settings.attachments.directory == tmp_path / "attachments"
    store = open_store(settings)  # the whole settings, or their attachments group
    assert isinstance(store, DirectoryStore)
    assert store.root == open_store(settings.attachments).root == tmp_path / "attachments"
    store.put(original_key(uuid.uuid4()), b"x", "image/png")
    assert len(list((tmp_path / "attachments" / "originals").iterdir())) == 1


def test_the_object_store_keeps_the_media_type_and_one_client_per_process(
    s3_endpoint: str,
) -> None:
    settings = s3_settings(s3_endpoint, f"test-{uuid.uuid4().hex}").attachments
    store = open_store(settings)
    assert open_store(settings) is store
    assert isinstance(store, S3Store)
    key = thumbnail_key(uuid.uuid4())
    store.put(key, b"\xff\xd8thumb", "image/jpeg")
    head = store.client.head_object(Bucket=settings.s3_bucket, Key=key)
    assert head["ContentType"] == "image/jpeg"
    assert head["ContentLength"] == 7


def test_a_store_that_cannot_answer_is_unavailable_not_missing(tmp_path: Path) -> None:
    nobody = s3_settings(f"http://127.0.0.1:{free_port()}", "pengaduan-attachments")
    with pytest.raises(StoreUnavailable):
        S3Store.from_settings(nobody.attachments).get(original_key(uuid.uuid4()))
    (tmp_path / "not-a-directory").write_text("a file where the store should be")
    store = DirectoryStore(tmp_path / "not-a-directory")
    with pytest.raises(StoreUnavailable):
        store.put(original_key(uuid.uuid4()), b"x", "image/png")
