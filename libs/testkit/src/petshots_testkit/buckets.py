"""Buckets for tests and benchmarks: a plain client on the storage a test's settings name
(to look at objects behind the services' back), and a bucket of a run's own in LocalStack's
S3, emptied and dropped when the run is done: the LocalStack may be shared with other runs,
which must not see (or fill up with) its objects."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from petshots_core.settings import Settings
from petshots_devstack.uploads_bucket import s3_client

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


def storage_client(settings: Settings) -> S3Client:
    """An S3 client with the endpoint, region and keys of ``settings``."""
    return s3_client(
        settings.s3_endpoint_url,
        region=settings.s3_region,
        keys=(settings.s3_access_key_id, settings.s3_secret_access_key),
    )


@contextmanager
def scratch_bucket(endpoint_url: str, prefix: str = "petshots-bench") -> Iterator[str]:
    """``<prefix>-<random>`` on ``endpoint_url`` for the duration of the block; its name."""
    client = s3_client(endpoint_url)
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    client.create_bucket(Bucket=name)
    try:
        yield name
    finally:
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
            if contents := page.get("Contents", []):
                client.delete_objects(
                    Bucket=name,
                    Delete={"Objects": [{"Key": o["Key"]} for o in contents], "Quiet": True},
                )
        client.delete_bucket(Bucket=name)
