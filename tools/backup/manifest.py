"""The manifest of a backup set: what was taken, when, and each file's size and SHA-256; checked
whole before a restore touches anything."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024


class BrokenBackup(RuntimeError):
    """A set restore must not use: incomplete, or a file differs from what the manifest says."""


class FileEntry(BaseModel):
    path: str  # relative to the set, with "/"
    size: int
    sha256: str


class DatabasePart(BaseModel):
    service: str
    kind: Literal["sqlite", "postgresql"]
    path: str


class AttachmentPart(BaseModel):
    backend: Literal["directory", "s3"]
    path: str  # the folder of the set holding one file per key
    # S3 keeps a media type per object; the directory store keeps none.
    media_types: dict[str, str] = {}


class Manifest(BaseModel):
    format: int = FORMAT
    taken_at: datetime
    databases: list[DatabasePart]
    attachments: AttachmentPart
    redis: str | None  # the snapshot's path, or None when no Redis answered
    keys: list[str] = []  # the embedded default's secret files under the data directory
    files: list[FileEntry] = []


def digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def record_files(root: Path) -> list[FileEntry]:
    """Every file under ``root`` but the manifest, with its size and digest."""
    return [
        FileEntry(
            path=path.relative_to(root).as_posix(), size=path.stat().st_size, sha256=digest(path)
        )
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    ]


def write(root: Path, manifest: Manifest) -> None:
    manifest.files = record_files(root)
    draft = root / f".{MANIFEST}"
    draft.write_text(manifest.model_dump_json(indent=2))
    draft.replace(root / MANIFEST)


def verified(root: Path) -> Manifest:
    """The set's manifest, once every file it names is there with its size and digest, and every
    part it names is one of those files; ``BrokenBackup`` naming each problem otherwise."""
    path = root / MANIFEST
    if not root.is_dir():
        raise BrokenBackup(f"{root}: no such backup set")
    if not path.is_file():
        raise BrokenBackup(f"{root}: no {MANIFEST} (an incomplete backup: it never finished)")
    manifest = Manifest.model_validate_json(path.read_text())
    if manifest.format != FORMAT:
        raise BrokenBackup(f"{root}: manifest format {manifest.format}, this tool reads {FORMAT}")
    problems = [problem for entry in manifest.files if (problem := _check(root, entry))]
    listed = {entry.path for entry in manifest.files}
    parts = [part.path for part in manifest.databases] + manifest.keys
    parts += [manifest.redis] if manifest.redis else []
    problems += [
        f"{part}: named by the manifest but not among its files"
        for part in parts
        if part not in listed
    ]
    if problems:
        raise BrokenBackup("\n".join([f"{root}: not restorable:", *(f"  - {p}" for p in problems)]))
    return manifest


def _check(root: Path, entry: FileEntry) -> str | None:
    path = root / entry.path
    if not path.is_file():
        return f"{entry.path}: missing"
    if path.stat().st_size != entry.size:
        return f"{entry.path}: {path.stat().st_size} bytes, the manifest says {entry.size}"
    if digest(path) != entry.sha256:
        return f"{entry.path}: SHA-256 differs from the manifest's"
    return None
