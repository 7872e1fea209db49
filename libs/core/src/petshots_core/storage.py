"""Object storage on boto3: upload policies, download URLs, head, delete.

Presigning is local HMAC work and runs inline; calls that talk to the server run in a worker
thread with short timeouts so a slow or unreachable bucket fails one request fast (503)
instead of stalling the event loop.

boto3 is imported and its clients are made on first use, not at start-up: importing it and
making three clients cost ~0.2 s of CPU, a fifth of the start-up budget (docs/performance.md),
and most of that is only needed by the first upload or download. The first ``/readyz`` (the
storage ping) pays for the import and one client, in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import hmac
import re
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args
from urllib.parse import quote, urlsplit

import anyio.to_thread
from botocore.exceptions import BotoCoreError, ClientError  # light: no boto3, no HTTP stack

from petshots_core.aws import ClientOnFirstCall
from petshots_core.settings import Settings

if TYPE_CHECKING:
    import boto3
    from mypy_boto3_s3 import S3Client


T = TypeVar("T")
_Role = Literal["internal", "public", "probe"]


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


# The reachability probe behind upload policies and download links: one attempt, tight
# timeouts; its answer is reused for a few seconds so the hot paths do no storage I/O.
PROBE_TIMEOUT_S = 1.0
PROBE_OK_TTL_S = 10.0
PROBE_DOWN_TTL_S = 2.0
# Signing a download link costs ~0.5 ms of CPU (botocore); the same link is handed out again
# while at least 11/12 of its lifetime is left (5 minutes of an hour's link). Bounded.
URL_REUSE_FRACTION = 1 / 12
URL_CACHE_MAX = 4096


class _GetPresigner:
    """Presigned GET links signed here — SigV4 query-string auth exactly as botocore's
    ``S3SigV4QueryAuth`` computes it — instead of through botocore's per-call machinery
    (~0.5 ms of CPU per link there, ~0.03 ms here; a dashboard signs one per pet photo).
    ``S3SigV4QueryAuth`` itself on a request built here, skipping only that machinery, costs
    ~0.08-0.13 ms a link: still 3-5x this. Links are reused (``URL_REUSE_FRACTION``), but
    per worker process, so an owner's first dashboard on each worker signs every photo.

    Endpoint and addressing rules stay botocore's: the scheme, host and bucket path come from
    one link botocore presigns at start-up. Credentials come from the client's session on
    each call (temporary credentials, e.g. IRSA, refresh as they do for botocore).
    """

    def __init__(self, client: S3Client, bucket: str, region: str, credentials: Any) -> None:
        probe = client.generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": "k"}, ExpiresIn=60
        )
        parts = urlsplit(probe)
        if not parts.path.endswith("/k"):
            raise ValueError(f"unexpected presigned URL shape: {parts.path}")
        self._origin = f"{parts.scheme}://{parts.netloc}"
        self._host = parts.netloc
        self._prefix = parts.path[:-1]  # "/<bucket>/" (path style) or "/" (virtual host)
        self._region = region
        self._credentials = credentials
        self._keys: dict[tuple[str, str], bytes] = {}

    def _signing_key(self, secret: str, day: str) -> bytes:
        found = self._keys.get((secret, day))
        if found is None:
            key = ("AWS4" + secret).encode()
            for part in (day, self._region, "s3", "aws4_request"):
                key = hmac.new(key, part.encode(), hashlib.sha256).digest()
            self._keys = {(secret, day): key}  # one day's key is all there is to keep
            found = key
        return found

    def url(self, key: str, params: dict[str, str], expires_in: int) -> str:
        creds = self._credentials.get_frozen_credentials()
        amz_date = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        day = amz_date[:8]
        scope = f"{day}/{self._region}/s3/aws4_request"
        query = {
            **params,
            "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
            "X-Amz-Credential": f"{creds.access_key}/{scope}",
            "X-Amz-Date": amz_date,
            "X-Amz-Expires": str(expires_in),
            "X-Amz-SignedHeaders": "host",
        }
        if creds.token:
            query["X-Amz-Security-Token"] = creds.token
        canonical_query = "&".join(
            f"{k}={v}"
            for k, v in sorted(
                (quote(k, safe="-_.~"), quote(v, safe="-_.~")) for k, v in query.items()
            )
        )
        path = self._prefix + quote(key, safe="/~")
        canonical = f"GET\n{path}\n{canonical_query}\nhost:{self._host}\n\nhost\nUNSIGNED-PAYLOAD"
        to_sign = (
            f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n"
            + hashlib.sha256(canonical.encode()).hexdigest()
        )
        signature = hmac.new(
            self._signing_key(creds.secret_key, day), to_sign.encode(), hashlib.sha256
        ).hexdigest()
        return f"{self._origin}{path}?{canonical_query}&X-Amz-Signature={signature}"


def _s3_client(
    settings: Settings,
    endpoint_url: str | None,
    *,
    connect_timeout: float | None = None,
    read_timeout: float | None = None,
    retries: int = 2,
    session: boto3.session.Session,
) -> S3Client:
    from botocore.config import Config

    config = Config(
        signature_version="s3v4",
        connect_timeout=connect_timeout or settings.s3_connect_timeout_s,
        read_timeout=read_timeout or settings.s3_read_timeout_s,
        # botocore's max_attempts counts retries, not attempts.
        retries={"max_attempts": retries, "mode": "standard"},
        s3={"addressing_style": "path" if endpoint_url else "virtual"},
    )
    client: S3Client = session.client(
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
        self._settings = settings
        # One session for every client: service model and endpoint rules load once, and
        # credentials resolve once. Made on first use (module docstring).
        self._session: boto3.session.Session | None = None
        lock = threading.Lock()  # a session makes one client at a time
        self._clients = {
            role: ClientOnFirstCall(functools.partial(self._new_client, role), lock=lock)
            for role in get_args(_Role)
        }
        self._region = settings.s3_region
        self._static_keys = (
            (settings.s3_access_key_id, settings.s3_secret_access_key)
            if settings.s3_access_key_id and settings.s3_secret_access_key
            else None
        )
        self._presigner: _GetPresigner | None = None
        self._presigner_unavailable = False
        self._reachable_until = 0.0
        self._unreachable_until = 0.0
        self._urls: dict[tuple[str, str, str | None, int, bool], tuple[float, str]] = {}

        self._probe_lock: asyncio.Lock | None = None

    @property
    def _internal(self) -> S3Client:
        """Talks to the server (from worker threads)."""
        return self._client_for("internal")

    @property
    def _public(self) -> S3Client:
        """Signs URLs for browsers, for the endpoint they reach."""
        return self._client_for("public")

    @property
    def _probe(self) -> S3Client:
        """The reachability probe: one attempt, tight timeouts."""
        return self._client_for("probe")

    def _client_for(self, role: _Role) -> S3Client:
        client: S3Client = self._clients[role].client()
        return client

    def _new_client(self, role: _Role) -> S3Client:
        import boto3

        if self._session is None:
            self._session = boto3.session.Session()
        s = self._settings
        if role == "public":
            return _s3_client(s, s.browser_s3_endpoint_url, session=self._session)
        if role == "internal":
            return _s3_client(s, s.s3_endpoint_url, session=self._session)
        timeout = min(PROBE_TIMEOUT_S, s.s3_connect_timeout_s, s.s3_read_timeout_s)
        return _s3_client(
            s,
            s.s3_endpoint_url,
            connect_timeout=timeout,
            read_timeout=timeout,
            retries=0,
            session=self._session,
        )

    def _get_presigner(self) -> _GetPresigner | None:
        """Built on first use, when botocore would resolve credentials too (never earlier:
        the provider chain may end at an instance metadata endpoint)."""
        if self._presigner is None and not self._presigner_unavailable:
            from botocore.credentials import Credentials

            public = self._public  # makes the session too
            credentials: Any
            if self._static_keys is not None:
                credentials = Credentials(*self._static_keys)  # what the client signs with
            else:
                assert self._session is not None
                credentials = self._session.get_credentials()  # the client's chain
            if credentials is None:
                self._presigner_unavailable = True  # botocore raises its own error
                return None
            self._presigner = _GetPresigner(public, self.bucket, self._region, credentials)
        return self._presigner

    async def require_reachable(self) -> None:
        """Raise :class:`StorageUnavailable` quickly when the storage endpoint does not answer.

        Upload policies and download links are signed locally, so without this an owner would
        be handed a URL to a bucket nobody can reach. One bounded probe (``HEAD`` on the
        bucket) per ``PROBE_OK_TTL_S`` while storage answers; while it does not, every caller
        fails fast for ``PROBE_DOWN_TTL_S`` before the next probe. One probe at a time.
        """
        now = time.monotonic()
        if now < self._reachable_until:
            return
        if now < self._unreachable_until:
            raise StorageUnavailable("storage endpoint unreachable")
        if self._probe_lock is None:
            self._probe_lock = asyncio.Lock()
        async with self._probe_lock:
            now = time.monotonic()
            if now < self._reachable_until:
                return
            if now < self._unreachable_until:  # another request's probe just failed
                raise StorageUnavailable("storage endpoint unreachable")
            # 403/404 are answers too: the endpoint is reachable.
            with contextlib.suppress(ClientError):
                await self._run(lambda: self._probe.head_bucket(Bucket=self.bucket))
            self._reachable_until = time.monotonic() + PROBE_OK_TTL_S

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
        """A presigned GET, valid ``expires_in`` s from signing; a link signed less than
        ``expires_in * URL_REUSE_FRACTION`` ago is handed out again instead of re-signing."""
        cache_key = (key, filename, content_type, expires_in, inline)
        now = time.monotonic()
        cached = self._urls.get(cache_key)
        if cached is not None and now - cached[0] < expires_in * URL_REUSE_FRACTION:
            return cached[1]
        disposition = content_disposition(filename, inline=inline)
        url: str
        presigner = self._get_presigner()
        if presigner is not None:
            query = {"response-content-disposition": disposition}
            if content_type:
                query["response-content-type"] = content_type
            url = presigner.url(key, query, expires_in)
        else:
            params: dict[str, Any] = {
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentDisposition": disposition,
            }
            if content_type:
                params["ResponseContentType"] = content_type
            url = self._public.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=expires_in
            )
        if len(self._urls) >= URL_CACHE_MAX:
            self._urls.clear()
        self._urls[cache_key] = (now, url)
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

    async def read_object(self, key: str, max_bytes: int) -> bytes:
        """A whole object of at most ``max_bytes`` (server-side post-processing, e.g. images).

        Reads one byte past the bound so an object that grew since it was checked is refused
        rather than truncated.
        """

        def call() -> bytes:
            res = self._internal.get_object(Bucket=self.bucket, Key=key)
            body = res["Body"]
            try:
                data: bytes = body.read(max_bytes + 1)
            finally:
                body.close()
            if len(data) > max_bytes:
                raise ValueError(f"object is larger than {max_bytes} bytes")
            return data

        return await self._run(call)

    async def put_object(self, key: str, body: bytes, content_type: str) -> None:
        """Replace an object with bytes the service produced (never bytes a client sent)."""
        await self._run(
            lambda: self._internal.put_object(
                Bucket=self.bucket, Key=key, Body=body, ContentType=content_type
            )
        )

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
                self._mark_unreachable()
                raise StorageUnavailable(str(exc)) from exc
            raise
        except BotoCoreError as exc:
            self._mark_unreachable()
            raise StorageUnavailable(str(exc)) from exc

    def _mark_unreachable(self) -> None:
        self._reachable_until = 0.0
        self._unreachable_until = time.monotonic() + PROBE_DOWN_TTL_S


def _status(exc: ClientError) -> int:
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def owner_prefix(storage_prefix: str) -> str:
    """Every object of one owner lives under this prefix (deleted as a whole with the account)."""
    return f"users/{storage_prefix}/"


def new_object_key(storage_prefix: str, kind: str) -> str:
    """A fresh key chosen by the server; random so it reveals no database id."""
    return f"{owner_prefix(storage_prefix)}{kind}/{secrets.token_urlsafe(18)}"
