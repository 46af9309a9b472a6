"""The S3 backend: each key an object in one bucket of an S3-compatible store (MinIO in
compose), through boto3, the maintained S3 client. A PUT replaces an object whole, so a reader
never sees half a file; the bucket is created at first use when missing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from shared.attachments.keys import checked_key
from shared.attachments.store import MissingAttachment, StoreUnavailable

if TYPE_CHECKING:
    from shared.runtime.settings.attachments import AttachmentSettings

_MISSING_OBJECT = {"NoSuchKey", "404", "NotFound"}
_MISSING_BUCKET = {"NoSuchBucket", "404", "NotFound"}
_OWNED_ALREADY = {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}
# Path-style addresses (http://minio:9000/bucket/key): MinIO behind one host name has no
# per-bucket DNS names. Short timeouts and few retries: an API request waits on this.
_CLIENT_CONFIG = Config(
    s3={"addressing_style": "path"},
    connect_timeout=5,
    read_timeout=30,
    retries={"max_attempts": 3, "mode": "standard"},
)


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


@contextmanager
def _reachable(key: str) -> Iterator[None]:
    """The store's own failures (down, refusing the credentials) as ``StoreUnavailable``."""
    try:
        yield
    except (BotoCoreError, ClientError) as exc:
        raise StoreUnavailable(f"{key}: {exc}") from exc


class S3Store:
    """Objects in ``bucket``, their media type as the object's Content-Type."""

    # One store per configuration and process: a boto3 client is thread-safe and costly to
    # make, and the bucket need be checked once.
    _shared: ClassVar[dict[tuple[str | None, ...], S3Store]] = {}
    _shared_lock = threading.Lock()

    def __init__(self, client: Any, bucket: str) -> None:
        self.client = client
        self.bucket = bucket
        self._bucket_ready = False
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: AttachmentSettings) -> S3Store:
        secret = settings.s3_secret_key
        client = boto3.session.Session().client(
            "s3",
            endpoint_url=settings.s3_endpoint_url,
            aws_access_key_id=settings.s3_access_key,
            aws_secret_access_key=secret.get_secret_value() if secret is not None else None,
            region_name=settings.s3_region,
            config=_CLIENT_CONFIG,
        )
        return cls(client, settings.s3_bucket)

    @classmethod
    def shared(cls, settings: AttachmentSettings) -> S3Store:
        """The process's store for these settings, made at first use."""
        secret = settings.s3_secret_key
        identity = (
            settings.s3_endpoint_url,
            settings.s3_bucket,
            settings.s3_access_key,
            secret.get_secret_value() if secret is not None else None,
            settings.s3_region,
        )
        with cls._shared_lock:
            if identity not in cls._shared:
                cls._shared[identity] = cls.from_settings(settings)
            return cls._shared[identity]

    def ensure_bucket(self) -> None:
        """Creates the bucket if it is missing (once per store; safe to race other processes)."""
        if self._bucket_ready:
            return
        with self._lock, _reachable(self.bucket):
            if self._bucket_ready:
                return
            try:
                self.client.head_bucket(Bucket=self.bucket)
            except ClientError as error:
                if _code(error) not in _MISSING_BUCKET:
                    raise
                try:
                    self.client.create_bucket(Bucket=self.bucket)
                except ClientError as creating:
                    if _code(creating) not in _OWNED_ALREADY:
                        raise
            self._bucket_ready = True

    def put(self, key: str, data: bytes, media_type: str) -> None:
        key = checked_key(key)
        self.ensure_bucket()
        with _reachable(key):
            self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=media_type)

    def get(self, key: str) -> bytes:
        key = checked_key(key)
        self.ensure_bucket()
        with _reachable(key):
            try:
                answer = self.client.get_object(Bucket=self.bucket, Key=key)
            except ClientError as error:
                if _code(error) in _MISSING_OBJECT:
                    raise MissingAttachment(key) from None
                raise
            body: bytes = answer["Body"].read()
        return body

    def delete(self, key: str) -> None:
        key = checked_key(key)
        self.ensure_bucket()
        with _reachable(key):
            self.client.delete_object(Bucket=self.bucket, Key=key)
