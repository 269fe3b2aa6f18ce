"""Where uploaded files live: one small interface, two stores.

- :class:`DiskStore` keeps each file under a folder (by default ``portfolio`` in ``LEARNPATH_DATA_DIR``);
- :class:`S3Store` keeps them in an S3-compatible bucket (Amazon S3, MinIO, ...), through boto3 (the ``s3``
  extra: ``pip install learnpath[s3]``).

Keys are made by the caller from ids and a random token (``[A-Za-z0-9._/-]``, no ``..``), never from a user's
file name. ``put`` takes a finished local file, so nothing half-written is ever visible under a key.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from learnpath.errors import NotFoundError, ValidationError
from learnpath.settings import Settings

__all__ = ["CHUNK", "DiskStore", "FileStore", "S3Store", "check_key", "make_store"]

CHUNK = 1 << 18
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*")


def check_key(key: str) -> str:
    if len(key) > 200 or not _KEY.fullmatch(key) or ".." in key:
        raise ValueError(f"not a safe storage key: {key!r}")
    return key


class FileStore(Protocol):
    """What the portfolio needs of a file store."""

    def put(self, key: str, source: Path, media_type: str) -> None:
        """Store the finished local file ``source`` under ``key`` (``source`` may be moved away)."""

    def chunks(self, key: str) -> Iterator[bytes]:
        """The stored bytes in chunks; NotFoundError when there is no such file."""

    def local_path(self, key: str) -> Path | None:
        """A path on this machine to serve the file from, when the store has one."""

    def delete(self, key: str) -> None:
        """Remove the file; no error when it is already gone."""

    def exists(self, key: str) -> bool: ...


class DiskStore:
    """Files in a folder on this machine."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, source: Path, media_type: str) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source, target)  # same file system: atomic
        except OSError:
            part = target.with_name(target.name + ".part")
            try:
                shutil.copyfile(source, part)
                os.replace(part, target)
            finally:
                part.unlink(missing_ok=True)

    def chunks(self, key: str) -> Iterator[bytes]:
        path = self._path(key)
        if not path.is_file():
            raise NotFoundError(f"no stored file {key!r}")
        return self._read(path)

    @staticmethod
    def _read(path: Path) -> Iterator[bytes]:
        with path.open("rb") as f:
            while chunk := f.read(CHUNK):
                yield chunk

    def local_path(self, key: str) -> Path | None:
        path = self._path(key)
        return path if path.is_file() else None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


class S3Store:
    """Files in a bucket of S3-compatible storage. ``client`` is a boto3 S3 client (made from the settings
    by :func:`make_store`; tests hand in one wrapped in botocore's Stubber)."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put(self, key: str, source: Path, media_type: str) -> None:
        with source.open("rb") as f:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=f, ContentType=media_type)

    def chunks(self, key: str) -> Iterator[bytes]:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise NotFoundError(f"no stored file {key!r}") from exc
            raise
        body = answer["Body"]

        def read() -> Iterator[bytes]:
            try:
                while chunk := body.read(CHUNK):
                    yield chunk
            finally:
                body.close()

        return read()

    def local_path(self, key: str) -> Path | None:
        return None

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return False
            raise
        return True


def make_store(settings: Settings) -> FileStore:
    """The portfolio's file store as the settings say (``LEARNPATH_PORTFOLIO_STORAGE``)."""
    if settings.portfolio_storage == "disk":
        return DiskStore(Path(settings.data_dir) / "portfolio")
    if not settings.s3_bucket:
        raise ValidationError.for_field("s3_bucket", "LEARNPATH_S3_BUCKET is needed with s3 storage")
    try:
        import boto3
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise ValidationError.for_field(
            "portfolio_storage", "s3 storage needs boto3: pip install 'learnpath[s3]'"
        ) from exc
    options: dict[str, str] = {}
    if settings.s3_endpoint_url:
        options["endpoint_url"] = settings.s3_endpoint_url
    if settings.s3_region:
        options["region_name"] = settings.s3_region
    if settings.s3_access_key_id:
        options["aws_access_key_id"] = settings.s3_access_key_id
        options["aws_secret_access_key"] = settings.s3_secret_access_key
    return S3Store(boto3.client("s3", **options), settings.s3_bucket, settings.s3_prefix)
