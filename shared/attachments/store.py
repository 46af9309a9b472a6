"""The attachment store: one interface, two backends (a directory, an S3-compatible object
store), chosen by the settings. Shared infrastructure as Redis is: intake writes a file, the
workflow reads it by the key and digest a message gave it; the bytes never travel in a message."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Protocol

from shared.runtime.settings.attachments import AttachmentSettings

if TYPE_CHECKING:
    from shared.runtime.settings import Settings


class MissingAttachment(KeyError):
    """No file is stored under the key."""


class StoreUnavailable(RuntimeError):
    """The store could not be reached or refused the operation (the object store is down, the
    disk is full): a 503 for a request, a retry for a task; never half a file kept."""


class AttachmentCorrupt(RuntimeError):
    """The stored file's digest is not the one it was written with."""


class AttachmentStore(Protocol):
    """Keeps bytes under a key (``shared.attachments.keys``). ``put`` replaces whole or not at
    all (a reader never sees half a file); ``get`` of a missing key is ``MissingAttachment``,
    ``delete`` of one no error; a store that cannot answer raises ``StoreUnavailable``."""

    def put(self, key: str, data: bytes, media_type: str) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


def open_store(settings: Settings | AttachmentSettings | None = None) -> AttachmentStore:
    """The store the settings name: the whole settings or their ``attachments`` group, and
    ``get_settings()`` when none are given."""
    if settings is None:
        from shared.runtime.settings import get_settings  # noqa: PLC0415 - settings load late

        settings = get_settings()
    if not isinstance(settings, AttachmentSettings):
        settings = settings.attachments
    if settings.backend == "s3":
        from shared.attachments.s3_store import S3Store  # noqa: PLC0415 - boto3 only when used

        return S3Store.shared(settings)
    from shared.attachments.directory_store import DirectoryStore  # noqa: PLC0415

    if settings.directory is None:
        raise ValueError("the attachments directory is unset (Settings fills it in)")
    return DirectoryStore(settings.directory)


def read_verified(store: AttachmentStore, key: str, sha256: str) -> bytes:
    """The file under ``key``, when its SHA-256 is ``sha256`` (hex); else ``AttachmentCorrupt``:
    the workflow serves staff only the file intake checked and announced."""
    data = store.get(key)
    if hashlib.sha256(data).hexdigest() != sha256.lower():
        raise AttachmentCorrupt(f"{key}: the stored file's digest differs from {sha256}")
    return data
