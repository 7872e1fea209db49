"""Object storage on boto3: upload policies, download URLs, head, delete.

Presigning is local HMAC work and runs inline; calls that talk to the server run in a worker
thread with short timeouts so a slow or unreachable bucket fails one request fast (503)
instead of stalling the event loop.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import anyio.to_thread
import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from petshots_core.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


T = TypeVar("T")


class StorageUnavailable(Exception):
    """The storage endpoint could not be reached or answered with a server error."""


@dataclass(frozen=True, slots=True)
class UploadPolicy:
    url: str
    fields: dict[str, str]
    expires_in: int


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    size: int
    content_type: str | None


_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._ ()+-]+")


def safe_download_name(filename: str, fallback: str = "certificate") -> str:
    """An ASCII name safe inside a quoted Content-Disposition parameter."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = _UNSAFE_FILENAME.sub("_", ascii_name).strip(" ._")
    return ascii_name[:120] or fallback


def content_disposition(filename: str, *, inline: bool = True) -> str:
    """``inline``/``attachment`` with an ASCII fallback and the exact UTF-8 name (RFC 6266)."""
    kind = "inline" if inline else "attachment"
    cleaned = "".join(ch for ch in filename if unicodedata.category(ch)[0] != "C")[:200]
    utf8 = quote(cleaned or safe_download_name(filename), safe="")
    return f"{kind}; filename=\"{safe_download_name(filename)}\"; filename*=UTF-8''{utf8}"


def _client(settings: Settings, endpoint_url: str | None) -> S3Client:
    config = Config(
        signature_version="s3v4",
        connect_timeout=settings.s3_connect_timeout_s,
        read_timeout=settings.s3_read_timeout_s,
        retries={"max_attempts": 2, "mode": "standard"},
        s3={"addressing_style": "path" if endpoint_url else "virtual"},
    )
    client: S3Client = boto3.session.Session().client(
        "s3",
        region_name=settings.s3_region,
        endpoint_url=endpoint_url,
        aws_access_key_id=settings.s3_access_key_id,
        aws_secret_access_key=settings.s3_secret_access_key,
        config=config,
    )
    return client


class Storage:
    """One bucket. ``internal`` talks to the server; ``public`` signs URLs for browsers."""

    def __init__(self, settings: Settings, bucket: str | None = None) -> None:
        self.bucket = bucket or settings.uploads_bucket
        self._internal = _client(settings, settings.s3_endpoint_url)
        self._public = _client(settings, settings.browser_s3_endpoint_url)

    # --- presigning (no I/O) ---

    def upload_policy(
        self, key: str, *, content_type: str, max_bytes: int, expires_in: int
    ) -> UploadPolicy:
        """A presigned POST that only accepts this exact key, this exact type and size range.

        boto3 turns ``Fields`` into form fields but adds no policy condition for them, so the
        Content-Type condition is spelled out; without it the browser could upload any type.
        """
        post = self._public.generate_presigned_post(
            Bucket=self.bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[
                {"Content-Type": content_type},
                ["content-length-range", 1, max_bytes],
            ],
            ExpiresIn=expires_in,
        )
        return UploadPolicy(url=post["url"], fields=dict(post["fields"]), expires_in=expires_in)

    def download_url(
        self,
        key: str,
        *,
        filename: str,
        content_type: str | None,
        expires_in: int,
        inline: bool = True,
    ) -> str:
        params: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": key,
            "ResponseContentDisposition": content_disposition(filename, inline=inline),
        }
        if content_type:
            params["ResponseContentType"] = content_type
        url: str = self._public.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=expires_in
        )
        return url

    # --- server calls (threaded, bounded) ---

    async def head(self, key: str) -> ObjectInfo | None:
        """Size and type of an object, or None when it does not exist."""

        def call() -> ObjectInfo | None:
            try:
                res = self._internal.head_object(Bucket=self.bucket, Key=key)
            except ClientError as exc:
                if _status(exc) in (403, 404):
                    return None
                raise
            return ObjectInfo(size=int(res["ContentLength"]), content_type=res.get("ContentType"))

        return await self._run(call)

    async def read_prefix_bytes(self, key: str, length: int = 512) -> bytes:
        """The first ``length`` bytes of an object (for magic-number checks)."""

        def call() -> bytes:
            res = self._internal.get_object(
                Bucket=self.bucket, Key=key, Range=f"bytes=0-{length - 1}"
            )
            body = res["Body"]
            try:
                data: bytes = body.read(length)
            finally:
                body.close()
            return data

        return await self._run(call)

    async def delete(self, key: str) -> None:
        await self._run(lambda: self._internal.delete_object(Bucket=self.bucket, Key=key))

    async def delete_prefix(self, prefix: str) -> int:
        """Delete every object under ``prefix`` (every version on a versioned bucket)."""
        if not prefix or not prefix.endswith("/"):
            raise ValueError("prefix must be non-empty and end with '/'")

        def call() -> int:
            deleted = 0
            paginator = self._internal.get_paginator("list_object_versions")
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                batch = [
                    {"Key": v["Key"], "VersionId": v["VersionId"]}
                    for v in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
                ]
                for start in range(0, len(batch), 1000):
                    chunk = batch[start : start + 1000]
                    self._internal.delete_objects(
                        Bucket=self.bucket,
                        Delete={"Objects": chunk, "Quiet": True},  # type: ignore[typeddict-item]
                    )
                    deleted += len(chunk)
            return deleted

        return await self._run(call)

    async def ping(self) -> None:
        await self._run(lambda: self._internal.head_bucket(Bucket=self.bucket))

    async def _run(self, fn: Callable[[], T]) -> T:
        try:
            return await anyio.to_thread.run_sync(fn)
        except ClientError as exc:
            if _status(exc) >= 500:
                raise StorageUnavailable(str(exc)) from exc
            raise
        except BotoCoreError as exc:
            raise StorageUnavailable(str(exc)) from exc


def _status(exc: ClientError) -> int:
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def owner_prefix(storage_prefix: str) -> str:
    """Every object of one owner lives under this prefix (deleted as a whole with the account)."""
    return f"users/{storage_prefix}/"


def new_object_key(storage_prefix: str, kind: str) -> str:
    """A fresh key chosen by the server; random so it reveals no database id."""
    return f"{owner_prefix(storage_prefix)}{kind}/{secrets.token_urlsafe(18)}"
