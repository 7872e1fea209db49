"""scratch_bucket: a benchmark's own bucket in a LocalStack others may share, gone afterwards."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from petshots_devstack.uploads_bucket import s3_client
from petshots_testkit.buckets import scratch_bucket


def test_the_bucket_goes_with_its_objects(s3_endpoint: str) -> None:
    client = s3_client(s3_endpoint)
    with scratch_bucket(s3_endpoint, prefix="petshots-scratch") as name:
        assert name.startswith("petshots-scratch-")
        for n in range(3):
            client.put_object(Bucket=name, Key=f"docs/{n}", Body=b"%PDF-1.7")
    with pytest.raises(ClientError) as gone:
        client.head_bucket(Bucket=name)
    assert gone.value.response["Error"]["Code"] in ("404", "NoSuchBucket")
