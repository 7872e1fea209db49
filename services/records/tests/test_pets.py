from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from petshots_testkit.api import PNG, Owner, post_to_storage

Rows = Callable[[Owner], Awaitable[dict[str, int]]]


async def test_create_list_get_update_delete(owner: Owner) -> None:
    pet = await owner.new_pet("Ollie", species="dog", breed="Beagle", birth_date="2020-05-01")
    assert pet["status"] == "no_expiry"
    assert pet["record_count"] == 0
    listed = (await owner.call("GET", "/api/pets")).json()
    assert [p["id"] for p in listed] == [pet["id"]]
    got = (await owner.call("GET", f"/api/pets/{pet['id']}")).json()
    assert got["name"] == "Ollie"
    assert got["documents"] == []
    r = await owner.call("PATCH", f"/api/pets/{pet['id']}", json={"name": "Ollie B", "breed": None})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Ollie B"
    assert r.json()["breed"] is None
    assert r.json()["species"] == "dog"  # untouched field stays
    assert (await owner.call("DELETE", f"/api/pets/{pet['id']}")).status_code == 204
    assert (await owner.call("GET", f"/api/pets/{pet['id']}")).status_code == 404


async def test_pet_limit(owner: Owner, rows: Rows) -> None:
    for name in ("A", "B", "C"):
        await owner.new_pet(name)
    r = await owner.call("POST", "/api/pets", json={"name": "D"})
    assert r.status_code == 409
    body = r.json()
    assert body["error"] == "pet_limit"
    assert body["limit"] == 3
    assert body["detail"]
    assert (await rows(owner))["pets"] == 3


async def test_parallel_creates_cannot_pass_the_limit(owner: Owner, rows: Rows) -> None:
    async def create(i: int) -> int:
        r = await owner.call("POST", "/api/pets", json={"name": f"Pet {i}"})
        return r.status_code

    codes = await asyncio.gather(*(create(i) for i in range(10)))
    assert sorted(codes) == [201] * 3 + [409] * 7
    assert (await rows(owner))["pets"] == 3


async def test_delete_pet_removes_its_records_and_files(owner: Owner, rows: Rows) -> None:
    pet = await owner.new_pet()
    doc = await owner.new_doc(pet["id"])
    file_url = doc["file_url"]
    import httpx

    assert httpx.get(file_url, timeout=10).status_code == 200
    assert (await owner.call("DELETE", f"/api/pets/{pet['id']}")).status_code == 204
    assert (await rows(owner)) == {"pets": 0, "documents": 0}
    assert (await owner.call("GET", f"/api/docs/{doc['id']}")).status_code == 404
    # the signed URL is still valid, but the object is gone
    assert httpx.get(file_url, timeout=10).status_code == 404


async def test_pet_photo_upload_and_replace(owner: Owner) -> None:
    pet = await owner.new_pet()
    r = await owner.call(
        "POST",
        f"/api/pets/{pet['id']}/photo",
        json={"content_type": "image/png", "size_bytes": len(PNG)},
    )
    assert r.status_code == 200, r.text
    upload: dict[str, Any] = r.json()["upload"]
    assert post_to_storage(upload, PNG).status_code in (200, 201, 204)
    done = await owner.call("POST", f"/api/pets/{pet['id']}/photo/complete")
    assert done.status_code == 200, done.text
    import httpx

    first_url = done.json()["photo_url"]
    assert httpx.get(first_url, timeout=10).content == PNG
    # A second photo replaces the first, and the first file is deleted.
    r = await owner.call(
        "POST",
        f"/api/pets/{pet['id']}/photo",
        json={"content_type": "image/png", "size_bytes": len(PNG)},
    )
    post_to_storage(r.json()["upload"], PNG)
    assert (await owner.call("POST", f"/api/pets/{pet['id']}/photo/complete")).status_code == 200
    assert httpx.get(first_url, timeout=10).status_code == 404


async def test_photo_rules(owner: Owner) -> None:
    pet = await owner.new_pet()
    path = f"/api/pets/{pet['id']}/photo"
    too_big = await owner.call(
        "POST", path, json={"content_type": "image/png", "size_bytes": 5 * 1024 * 1024 + 1}
    )
    assert too_big.status_code == 422
    assert too_big.json()["error"] == "file_too_large"
    wrong_type = await owner.call(
        "POST", path, json={"content_type": "image/heic", "size_bytes": 10}
    )
    assert wrong_type.status_code == 400
    not_uploaded = await owner.call("POST", f"{path}/complete")
    assert not_uploaded.status_code == 409
    # A PDF declared as a PNG is caught by its magic bytes and removed.
    r = await owner.call("POST", path, json={"content_type": "image/png", "size_bytes": 100})
    post_to_storage(r.json()["upload"], b"%PDF-1.4 not an image")
    mismatch = await owner.call("POST", f"{path}/complete")
    assert mismatch.status_code == 422
    assert mismatch.json()["error"] == "content_mismatch"
    assert (await owner.call("GET", f"/api/pets/{pet['id']}")).json()["photo_url"] is None
