"""The directory backend: each key a file under one directory (the embedded default's
``var/attachments``). Written aside and renamed into place, so a reader never sees half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from shared.attachments.keys import checked_key
from shared.attachments.store import MissingAttachment, StoreUnavailable


class DirectoryStore:
    """Files under ``root``; the media type is not kept (the caller's record holds it)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        path = self.root.joinpath(*checked_key(key).split("/"))
        # checked_key already refuses "..": this guards against a symlinked segment too.
        if not path.resolve().is_relative_to(self.root.resolve()):
            raise MissingAttachment(key)
        return path

    def put(self, key: str, data: bytes, media_type: str) -> None:  # noqa: ARG002 - protocol
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        except OSError as exc:
            raise StoreUnavailable(f"{key}: {exc}") from exc
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            Path(draft).chmod(0o640)
            Path(draft).replace(path)
        except BaseException as exc:
            with contextlib.suppress(FileNotFoundError):
                Path(draft).unlink()
            if isinstance(exc, OSError):
                raise StoreUnavailable(f"{key}: {exc}") from exc
            raise

    def get(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise MissingAttachment(key) from None
        except OSError as exc:
            raise StoreUnavailable(f"{key}: {exc}") from exc

    def delete(self, key: str) -> None:
        try:
            self.path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"{key}: {exc}") from exc
