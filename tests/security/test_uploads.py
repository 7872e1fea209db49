"""Uploads end to end through LocalStack S3: a file whose bytes are not what its owner
declared is refused at ``complete`` (magic bytes), and images lose their EXIF — GPS first of
all — before a passport link can hand them to anyone (docs/security.md, "EXIF")."""

from __future__ import annotations

import io
import struct
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from botocore.exceptions import ClientError
from PIL import Image
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_core.images import strip_metadata
from petshots_core.settings import Settings
from petshots_testkit.api import PDF, post_to_storage
from petshots_testkit.buckets import storage_client
from petshots_testkit.tenants import Tenant, passport_token

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F
LATITUDE = (51.0, 30.0, 26.0)
XMP_GPS = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="51,30.44N" exif:GPSLongitude="0,7.65W"/></rdf:RDF></x:xmpmeta>'
)


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # rotate 90° CW: must survive, or portraits lie on their side
    exif[MAKE] = "PhoneMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: LATITUDE, 3: "W", 4: (0.0, 7.0, 39.0)})
    return exif


def image_with_gps(fmt: str) -> bytes:
    picture = Image.new("RGB", (96, 64))
    picture.putdata(
        [(x * 2 % 256, y * 4 % 256, (x * y) % 256) for y in range(64) for x in range(96)]
    )
    out = io.BytesIO()
    picture.save(out, fmt, exif=gps_exif(), **({"quality": 95} if fmt == "JPEG" else {}))
    data = out.getvalue()
    if fmt == "JPEG":  # and an XMP packet with the same coordinates, right after SOI
        xmp = b"http://ns.adobe.com/xap/1.0/\x00" + XMP_GPS
        data = data[:2] + b"\xff\xe1" + struct.pack(">H", len(xmp) + 2) + xmp + data[2:]
    return data


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def heic_with_gps() -> tuple[bytes, bytes]:
    """A minimal HEIF file (ftyp heic, meta with hdlr/iinf/iloc, mdat) whose Exif item holds
    a GPS IFD; returns the file and the Exif payload that must not survive."""
    exif_payload = b"\x00\x00\x00\x00" + gps_exif().tobytes()[6:]  # tiff header offset + TIFF
    image_payload = b"\x00\x00\x00\x10" + b"\x26\x01\xaf\x13" * 4  # stands in for HEVC data
    ftyp = _box(b"ftyp", b"heic" + b"\x00\x00\x00\x00" + b"mif1heic")
    hdlr = _box(b"hdlr", b"\x00" * 4 + b"\x00" * 4 + b"pict" + b"\x00" * 12 + b"\x00")

    def infe(item_id: int, kind: bytes) -> bytes:
        return _box(b"infe", b"\x02\x00\x00\x00" + struct.pack(">HH", item_id, 0) + kind + b"\x00")

    iinf = _box(b"iinf", b"\x00" * 4 + struct.pack(">H", 2) + infe(1, b"hvc1") + infe(2, b"Exif"))

    def build(offsets: tuple[int, int]) -> bytes:
        entries = b"".join(
            struct.pack(">HHHII", item, 0, 1, offset, length)
            for item, offset, length in (
                (1, offsets[0], len(image_payload)),
                (2, offsets[1], len(exif_payload)),
            )
        )
        iloc = _box(b"iloc", b"\x00" * 4 + b"\x44\x00" + struct.pack(">H", 2) + entries)
        meta = _box(b"meta", b"\x00" * 4 + hdlr + iinf + iloc)
        return ftyp + meta

    head = build((0, 0))
    mdat_data = len(head) + 8
    head = build((mdat_data, mdat_data + len(image_payload)))
    return head + _box(b"mdat", image_payload + exif_payload), exif_payload


def assert_clean(data: bytes, original: bytes) -> None:
    cleaned, before = Image.open(io.BytesIO(data)), Image.open(io.BytesIO(original))
    exif = cleaned.getexif()
    assert dict(exif.get_ifd(GPS_IFD)) == {}, "GPS survived"
    assert MAKE not in exif, "other EXIF survived"
    assert exif.get(ORIENTATION) == 6, "orientation was lost"
    assert b"GPSLatitude" not in data and b"PhoneMaker" not in data
    assert cleaned.size == before.size
    # Lossless: the very same pixels (no recompression of a certificate's small print).
    assert cleaned.tobytes() == before.tobytes()


async def upload(owner: Tenant, pet_id: str, body: bytes, content_type: str) -> dict[str, Any]:
    """A record created, its file posted to storage; returns the pending record."""
    return await owner.on("records").new_doc(
        pet_id, body=body, content_type=content_type, complete=False
    )


async def served_by_passport(owner: Tenant, pet_id: str) -> dict[str, bytes]:
    """What a stranger with the passport link gets: every certificate and the pet's photo."""
    token = passport_token(await owner.new_passport(pet_id))
    view = (await owner.call("passport", "GET", f"/p/{token}.json", token=None)).json()
    files = {}
    for record in view["records"]:
        path = urlsplit(record["certificate_url"]).path
        r = await owner.call("passport", "GET", path, token=None, follow_redirects=False)
        assert r.status_code == 302, r.text
        files[record["id"]] = httpx.get(r.headers["location"], timeout=10).content
    if view["pet"]["photo_url"]:
        files["photo"] = httpx.get(view["pet"]["photo_url"], timeout=10).content
    return files


async def object_key(db: AsyncEngine, doc_id: str) -> str:
    async with db.connect() as conn:
        key: str = (
            await conn.execute(
                text("SELECT object_key FROM documents WHERE id = :id"), {"id": uuid.UUID(doc_id)}
            )
        ).scalar_one()
    return key


def stored(settings: Settings, key: str) -> bool:
    try:
        storage_client(settings).head_object(Bucket=settings.uploads_bucket, Key=key)
    except ClientError:
        return False
    return True


# -- declared type vs. stored bytes ------------------------------------------------------------

HTML = b"<!doctype html><html><body><script>fetch('/api/pets')</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'


@pytest.mark.parametrize(
    ("declared", "body"),
    [
        ("application/pdf", HTML),
        ("application/pdf", b"MZ\x90\x00" + b"\x00" * 60),  # a Windows executable
        ("image/png", SVG),
        ("image/jpeg", HTML),
        ("image/jpeg", b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\xde\xad" * 40),  # magic only
    ],
    ids=["html-as-pdf", "exe-as-pdf", "svg-as-png", "html-as-jpeg", "jpeg-magic-then-garbage"],
)
async def test_a_file_that_is_not_what_it_claims_is_refused(
    new_tenant: Callable[[], Tenant],
    settings: Settings,
    db: AsyncEngine,
    declared: str,
    body: bytes,
) -> None:
    owner = new_tenant()
    pet = await owner.on("records").new_pet("Ollie")
    doc = await upload(owner, pet["id"], body, declared)
    key = await object_key(db, doc["id"])
    assert stored(settings, key)
    r = await owner.call("records", "POST", f"/api/docs/{doc['id']}/complete")
    assert r.status_code == 422 and r.json()["error"] == "content_mismatch", r.text
    detail = (await owner.call("records", "GET", f"/api/docs/{doc['id']}")).json()
    assert detail["state"] == "pending" and detail["file_url"] is None
    # The bytes are gone from storage, and no passport lists or links the record.
    assert not stored(settings, key)
    assert (await served_by_passport(owner, pet["id"])) == {}
    r = await owner.call("records", "POST", f"/api/docs/{doc['id']}/complete")
    assert r.status_code == 409 and r.json()["error"] == "not_uploaded"


async def test_storage_refuses_a_content_type_other_than_the_declared_one(
    new_tenant: Callable[[], Tenant],
) -> None:
    owner = new_tenant()
    pet = await owner.on("records").new_pet("Ollie")
    created = await owner.call(
        "records",
        "POST",
        f"/api/pets/{pet['id']}/docs",
        json={
            "label": "Rabies",
            "filename": "rabies.pdf",
            "content_type": "application/pdf",
            "size_bytes": len(PDF),
        },
    )
    upload_policy = created.json()["upload"]
    r = post_to_storage(upload_policy, HTML, **{"Content-Type": "text/html"})
    assert r.status_code == 403, r.text
    r = post_to_storage(upload_policy, b"x" * 64, key="users/someone-else/docs/x")
    assert r.status_code == 403, r.text


# -- EXIF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")],
)
async def test_certificate_images_reach_the_passport_without_gps(
    new_tenant: Callable[[], Tenant], fmt: str, content_type: str
) -> None:
    owner = new_tenant()
    pet = await owner.on("records").new_pet("Ollie")
    original = image_with_gps(fmt)
    assert dict(Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)), "fixture has GPS"
    doc = await upload(owner, pet["id"], original, content_type)
    done = await owner.call("records", "POST", f"/api/docs/{doc['id']}/complete")
    assert done.status_code == 200, done.text
    assert done.json()["size_bytes"] < len(original)
    served = await served_by_passport(owner, pet["id"])
    assert_clean(served[doc["id"]], original)
    # The owner's own download is the same cleaned file: the original is not kept.
    assert httpx.get(done.json()["file_url"], timeout=10).content == served[doc["id"]]


async def test_heic_certificates_lose_their_exif_item(new_tenant: Callable[[], Tenant]) -> None:
    owner = new_tenant()
    pet = await owner.on("records").new_pet("Ollie")
    original, exif_payload = heic_with_gps()
    doc = await upload(owner, pet["id"], original, "image/heic")
    done = await owner.call("records", "POST", f"/api/docs/{doc['id']}/complete")
    assert done.status_code == 200, done.text
    served = (await served_by_passport(owner, pet["id"]))[doc["id"]]
    assert len(served) == len(original)  # cleaned in place: every offset stays valid
    assert exif_payload not in served and b"PhoneMaker" not in served
    assert served[: original.index(exif_payload)] == original[: original.index(exif_payload)]


async def test_the_pet_photo_reaches_the_passport_without_gps(
    new_tenant: Callable[[], Tenant],
) -> None:
    owner = new_tenant()
    pet = await owner.on("records").new_pet("Ollie")
    original = image_with_gps("JPEG")
    r = await owner.call(
        "records",
        "POST",
        f"/api/pets/{pet['id']}/photo",
        json={"content_type": "image/jpeg", "size_bytes": len(original)},
    )
    assert r.status_code == 200, r.text
    assert post_to_storage(r.json()["upload"], original).status_code in (200, 201, 204)
    r = await owner.call("records", "POST", f"/api/pets/{pet['id']}/photo/complete")
    assert r.status_code == 200, r.text
    assert_clean((await served_by_passport(owner, pet["id"]))["photo"], original)


async def test_an_image_that_cannot_be_cleaned_is_not_kept(
    new_tenant: Callable[[], Tenant], settings: Settings, db: AsyncEngine
) -> None:
    """Magic bytes of a PNG, then nonsense: the sniffer says PNG, the cleaner cannot parse
    it, so nobody ever gets it (fail closed)."""
    owner = new_tenant()
    pet = await owner.on("records").new_pet("Ollie")
    body = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + b"\x00" * 13 + b"\xff" * 200
    doc = await upload(owner, pet["id"], body, "image/png")
    key = await object_key(db, doc["id"])
    assert stored(settings, key)
    r = await owner.call("records", "POST", f"/api/docs/{doc['id']}/complete")
    assert r.status_code == 422 and r.json()["error"] == "content_mismatch"
    assert not stored(settings, key)
    assert (await owner.call("records", "GET", f"/api/docs/{doc['id']}")).json()["state"] == (
        "pending"
    )


def test_the_cleaner_is_lossless_and_idempotent() -> None:
    for fmt, content_type in (("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")):
        original = image_with_gps(fmt)
        once = strip_metadata(original, content_type)
        assert_clean(once, original)
        assert strip_metadata(once, content_type) == once
