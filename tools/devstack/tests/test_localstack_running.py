"""``localstack.running()``, the helper every suite's conftest uses for real S3."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx

from petshots_devstack import localstack
from petshots_devstack.addresses import LOCALSTACK_PORT
from petshots_devstack.paths import StateLayout
from petshots_devstack.uploads_bucket import ALLOWED_ORIGINS, ensure_uploads_bucket, s3_client
from petshots_devstack.waiting import free_port, port_open


def test_running_gives_a_working_s3_and_stops_only_what_it_started() -> None:
    already_running = port_open("127.0.0.1", LOCALSTACK_PORT)
    bucket = f"devstack-test-{uuid.uuid4().hex[:8]}"

    with localstack.running() as endpoint:
        client = s3_client(endpoint)
        client.create_bucket(Bucket=bucket)
        client.put_object(Bucket=bucket, Key="certs/rabies.pdf", Body=b"%PDF-1.7 test")
        got = client.get_object(Bucket=bucket, Key="certs/rabies.pdf")
        assert got["Body"].read() == b"%PDF-1.7 test"

        # A presigned GET is checked by signature: a tampered one is refused.
        url = client.generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": "certs/rabies.pdf"}, ExpiresIn=60
        )
        assert httpx.get(url, timeout=5).content == b"%PDF-1.7 test"
        assert httpx.get(url.replace("Signature=", "Signature=00"), timeout=5).status_code == 403

        client.delete_object(Bucket=bucket, Key="certs/rabies.pdf")
        client.delete_bucket(Bucket=bucket)

    assert port_open("127.0.0.1", LOCALSTACK_PORT) is already_running


def test_uploads_bucket_allows_the_spa_origins() -> None:
    bucket = f"devstack-uploads-{uuid.uuid4().hex[:8]}"
    with localstack.running() as endpoint:
        ensure_uploads_bucket(endpoint, bucket)
        ensure_uploads_bucket(endpoint, bucket)  # idempotent
        client = s3_client(endpoint)
        (rule,) = client.get_bucket_cors(Bucket=bucket)["CORSRules"]
        preflight = httpx.options(
            f"{endpoint}/{bucket}",
            headers={
                "Origin": ALLOWED_ORIGINS[0],
                "Access-Control-Request-Method": "POST",
            },
            timeout=5,
        )
        client.delete_bucket(Bucket=bucket)
    assert set(rule["AllowedOrigins"]) == set(ALLOWED_ORIGINS)
    assert set(rule["AllowedMethods"]) == {"POST", "GET", "HEAD"}
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ALLOWED_ORIGINS[0]


def test_running_starts_and_stops_its_own_instance(tmp_path: Path) -> None:
    port = free_port()
    state = StateLayout(tmp_path / ".petshots")
    with localstack.running(state, port=port) as endpoint:
        assert endpoint == f"http://127.0.0.1:{port}"
        client = s3_client(endpoint)
        client.create_bucket(Bucket="own-instance")
        assert [b["Name"] for b in client.list_buckets()["Buckets"]] == ["own-instance"]
    assert not port_open("127.0.0.1", port)
    assert (state.localstack / "localstack.log").stat().st_size > 0
