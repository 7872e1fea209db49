"""The storage client against LocalStack's S3 over real HTTP: the server itself enforces the
upload policy and download signatures we generate."""

from __future__ import annotations

import base64
import json
import time
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest

from petshots_core.settings import Settings
from petshots_core.storage import (
    Storage,
    content_disposition,
    new_object_key,
    owner_prefix,
    safe_download_name,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def storage(settings: Settings) -> Storage:
    return Storage(settings)


def upload(
    policy_url: str, fields: dict[str, str], body: bytes, **overrides: str
) -> httpx.Response:
    form = {**fields, **overrides}
    return httpx.post(policy_url, data=form, files={"file": ("x", body)}, timeout=10)


def policy_document(fields: dict[str, str]) -> dict[str, object]:
    result: dict[str, object] = json.loads(base64.b64decode(fields["policy"]))
    return result


def test_policy_conditions_are_exact(storage: Storage) -> None:
    key = new_object_key("prefix", "docs")
    policy = storage.upload_policy(
        key, content_type="application/pdf", max_bytes=1000, expires_in=300
    )
    doc = policy_document(policy.fields)
    conditions = doc["conditions"]
    assert {"Content-Type": "application/pdf"} in conditions  # type: ignore[operator]
    assert ["content-length-range", 1, 1000] in conditions  # type: ignore[operator]
    assert {"key": key} in conditions  # type: ignore[operator]
    assert {"bucket": storage.bucket} in conditions  # type: ignore[operator]
    assert not any(  # no starts-with wildcards anywhere
        isinstance(c, list) and c[0] == "starts-with"
        for c in conditions  # type: ignore[attr-defined]
    )
    assert policy.fields["key"] == key
    assert policy.fields["Content-Type"] == "application/pdf"


def test_upload_within_policy_succeeds_and_downloads(storage: Storage) -> None:
    key = new_object_key(uuid.uuid4().hex, "docs")
    policy = storage.upload_policy(
        key, content_type="application/pdf", max_bytes=len(PDF), expires_in=300
    )
    assert upload(policy.url, policy.fields, PDF).status_code in (200, 201, 204)
    url = storage.download_url(
        key, filename="Ollie rabies.pdf", content_type="application/pdf", expires_in=60
    )
    response = httpx.get(url, timeout=10)
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["content-disposition"].startswith('inline; filename="Ollie rabies.pdf"')


def test_storage_rejects_one_byte_too_many(storage: Storage) -> None:
    key = new_object_key(uuid.uuid4().hex, "docs")
    policy = storage.upload_policy(
        key, content_type="application/pdf", max_bytes=len(PDF) - 1, expires_in=300
    )
    response = upload(policy.url, policy.fields, PDF)
    assert response.status_code == 400
    assert b"EntityTooLarge" in response.content


def test_storage_rejects_another_key(storage: Storage) -> None:
    key = new_object_key(uuid.uuid4().hex, "docs")
    policy = storage.upload_policy(
        key, content_type="application/pdf", max_bytes=1000, expires_in=300
    )
    response = upload(policy.url, policy.fields, PDF, key=key + "-other")
    assert response.status_code == 403


def test_storage_rejects_another_content_type(storage: Storage) -> None:
    key = new_object_key(uuid.uuid4().hex, "docs")
    policy = storage.upload_policy(
        key, content_type="application/pdf", max_bytes=1000, expires_in=300
    )
    response = upload(policy.url, policy.fields, PDF, **{"Content-Type": "text/html"})
    assert response.status_code == 403


def test_storage_rejects_expired_policy(storage: Storage) -> None:
    key = new_object_key(uuid.uuid4().hex, "docs")
    policy = storage.upload_policy(
        key, content_type="application/pdf", max_bytes=1000, expires_in=1
    )
    time.sleep(2.1)
    response = upload(policy.url, policy.fields, PDF)
    assert response.status_code == 403


def _put(storage: Storage, key: str, body: bytes = PDF) -> None:
    policy = storage.upload_policy(
        key, content_type="application/pdf", max_bytes=10_000, expires_in=60
    )
    assert upload(policy.url, policy.fields, body).status_code in (200, 201, 204)


def test_tampered_and_expired_download_urls_are_refused(storage: Storage) -> None:
    key = new_object_key(uuid.uuid4().hex, "docs")
    _put(storage, key)
    url = storage.download_url(key, filename="a.pdf", content_type="application/pdf", expires_in=1)
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    signature = query["X-Amz-Signature"][0]
    query["X-Amz-Signature"] = ["0" + signature[1:] if signature[0] != "0" else "1" + signature[1:]]
    tampered = urlunsplit(parts._replace(query=urlencode(query, doseq=True)))
    assert httpx.get(tampered, timeout=10).status_code == 403
    other_key = urlunsplit(parts._replace(path=parts.path + "x"))
    assert httpx.get(other_key, timeout=10).status_code == 403
    time.sleep(2.1)
    assert httpx.get(url, timeout=10).status_code == 403


async def test_head_delete_and_delete_prefix(storage: Storage) -> None:
    prefix = uuid.uuid4().hex
    keys = [new_object_key(prefix, "docs") for _ in range(3)]
    for key in keys:
        _put(storage, key)
    neighbour = new_object_key(uuid.uuid4().hex, "docs")
    _put(storage, neighbour)
    info = await storage.head(keys[0])
    assert info is not None
    assert info.size == len(PDF)
    assert info.content_type == "application/pdf"
    assert await storage.read_prefix_bytes(keys[0], 5) == b"%PDF-"
    await storage.delete(keys[0])
    assert await storage.head(keys[0]) is None
    assert await storage.delete_prefix(owner_prefix(prefix)) >= 2
    assert all([await storage.head(k) is None for k in keys])
    assert await storage.head(neighbour) is not None  # another owner's file is untouched
    with pytest.raises(ValueError):
        await storage.delete_prefix("users")


@pytest.mark.parametrize(
    ("name", "ascii_name"),
    [
        ("Ollie rabies.pdf", "Ollie rabies.pdf"),
        ('evil"; filename=x.html', "evil_ filename_x.html"),
        ("Zoë’s DHPP.pdf", "Zoes DHPP.pdf"),  # noqa: RUF001 - a real typographic apostrophe
        ("\r\nSet-Cookie: a=b", "Set-Cookie_ a_b"),
        ("...", "certificate"),
    ],
)
def test_download_names_are_sanitised(name: str, ascii_name: str) -> None:
    assert safe_download_name(name) == ascii_name
    header = content_disposition(name)
    assert "\r" not in header and "\n" not in header
    assert header.count('"') == 2


@pytest.mark.parametrize(
    ("endpoint", "region"),
    [("http://127.0.0.1:4566", "us-east-1"), (None, "eu-west-1"), (None, "us-east-1")],
)
def test_download_links_are_signed_exactly_as_botocore_signs_them(
    endpoint: str | None, region: str
) -> None:
    """Links are signed without botocore's per-call machinery; they must be the same links
    (LocalStack checks the path-style ones for real in the tests above)."""
    fast = Storage(
        Settings(
            s3_endpoint_url=endpoint,
            s3_region=region,
            s3_access_key_id="AKIDEXAMPLE",
            s3_secret_access_key="secret",
        )
    )
    cases = [
        ("users/a b/docs/ä+b~c", "Rabies certificate.pdf", "application/pdf"),
        ("users/x/docs/y", "çà (1).pdf", None),
    ]
    for key, filename, content_type in cases:
        for _ in range(5):  # both signed within the same second
            fast._urls.clear()
            mine = fast.download_url(
                key, filename=filename, content_type=content_type, expires_in=3600
            )
            params = {
                "Bucket": fast.bucket,
                "Key": key,
                "ResponseContentDisposition": content_disposition(filename),
            }
            if content_type:
                params["ResponseContentType"] = content_type
            reference = fast._public.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=3600
            )
            ours, theirs = urlsplit(mine), urlsplit(reference)
            if parse_qs(ours.query)["X-Amz-Date"] == parse_qs(theirs.query)["X-Amz-Date"]:
                break
        assert (ours.scheme, ours.netloc, ours.path) == (theirs.scheme, theirs.netloc, theirs.path)
        assert parse_qs(ours.query) == parse_qs(theirs.query)


def test_download_links_are_reused_while_most_of_their_life_is_left(storage: Storage) -> None:
    first = storage.download_url(
        "users/r/docs/1", filename="a.pdf", content_type=None, expires_in=3600
    )
    again = storage.download_url(
        "users/r/docs/1", filename="a.pdf", content_type=None, expires_in=3600
    )
    other = storage.download_url(
        "users/r/docs/2", filename="a.pdf", content_type=None, expires_in=3600
    )
    assert first == again != other
