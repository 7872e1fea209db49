"""The uploads bucket in local S3, with the CORS rules the browser's direct uploads need."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

from petshots_devstack.addresses import (
    EDGE_PORT,
    LOCALSTACK_URL,
    LOOPBACK,
    PUBLIC_BASE_URL,
    S3_ACCESS_KEY_ID,
    S3_REGION,
    S3_SECRET_ACCESS_KEY,
    UPLOADS_BUCKET,
)

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

# The SPA's origins in local mode: it may be opened by either name.
ALLOWED_ORIGINS = (PUBLIC_BASE_URL, f"http://{LOOPBACK}:{EDGE_PORT}")


def s3_client(
    endpoint_url: str | None = LOCALSTACK_URL,
    *,
    region: str = S3_REGION,
    keys: tuple[str | None, str | None] = (S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY),
) -> S3Client:
    """A plain S3 client, by default on the local stack's LocalStack with its test keys."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=keys[0],
        aws_secret_access_key=keys[1],
        config=Config(connect_timeout=2, read_timeout=10, retries={"max_attempts": 2}),
    )


def ensure_uploads_bucket(endpoint_url: str = LOCALSTACK_URL, bucket: str = UPLOADS_BUCKET) -> None:
    client = s3_client(endpoint_url)
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=bucket)
    client.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": list(ALLOWED_ORIGINS),
                    "AllowedMethods": ["POST", "GET", "HEAD"],
                    "AllowedHeaders": ["*"],
                    "ExposeHeaders": ["ETag", "Location"],
                    "MaxAgeSeconds": 3000,
                }
            ]
        },
    )
