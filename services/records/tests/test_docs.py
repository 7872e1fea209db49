from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx

from petshots_testkit.api import PDF, Owner, post_to_storage

Rows = Callable[[Owner], Awaitable[dict[str, int]]]


async def test_record_lifecycle(owner: Owner) -> None:
    pet = await owner.new_pet()
    r = await owner.call(
        "POST",
        f"/api/pets/{pet['id']}/docs",
        json={
            "label": "Rabies",
            "expires_on": "2027-06-01",
            "given_on": "2026-06-01",
            "filename": "Ollie rabies.pdf",
            "content_type": "application/pdf",
            "size_bytes": len(PDF),
        },
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["doc"]["state"] == "pending"
    assert created["upload"]["expires_in"] == 300
    doc_id = created["doc"]["id"]
    # pending: no file URL, not counted on the pet, not completable
    pending = (await owner.call("GET", f"/api/docs/{doc_id}")).json()
    assert pending["file_url"] is None
    early = await owner.call("POST", f"/api/docs/{doc_id}/complete")
    assert early.status_code == 409
    assert early.json()["error"] == "not_uploaded"
    assert post_to_storage(created["upload"], PDF).status_code in (200, 201, 204)
    done = await owner.call("POST", f"/api/docs/{doc_id}/complete")
    assert done.status_code == 200
    assert done.json()["state"] == "ready"
    again = await owner.call("POST", f"/api/docs/{doc_id}/complete")
    assert again.status_code == 200  # idempotent
    got = (await owner.call("GET", f"/api/docs/{doc_id}")).json()
    download = httpx.get(got["file_url"], timeout=10)
    assert download.status_code == 200
    assert download.content == PDF
    assert "Ollie rabies.pdf" in download.headers["content-disposition"]
    assert (await owner.call("GET", f"/api/pets/{pet['id']}")).json()["record_count"] == 1


async def test_edit_clear_expiry_and_pin(owner: Owner) -> None:
    pet = await owner.new_pet()
    a = await owner.new_doc(pet["id"], label="Rabies")
    b = await owner.new_doc(pet["id"], label="DHPP")
    r = await owner.call(
        "PATCH", f"/api/docs/{a['id']}", json={"label": "Rabies 3yr", "expires_on": None}
    )
    assert r.status_code == 200
    assert r.json()["label"] == "Rabies 3yr"
    assert r.json()["expires_on"] is None
    assert r.json()["status"] == "no_expiry"
    assert (await owner.call("PATCH", f"/api/docs/{a['id']}", json={"pinned": True})).json()[
        "pinned"
    ]
    assert (await owner.call("PATCH", f"/api/docs/{b['id']}", json={"pinned": True})).json()[
        "pinned"
    ]
    # pinning b unpinned a: one pinned record per pet
    assert not (await owner.call("GET", f"/api/docs/{a['id']}")).json()["pinned"]
    r = await owner.call("PATCH", f"/api/docs/{b['id']}", json={"given_on": "2026-01-01"})
    assert r.json()["pinned"] is True
    assert r.json()["given_on"] == "2026-01-01"


async def test_delete_record_removes_file(owner: Owner) -> None:
    pet = await owner.new_pet()
    doc = await owner.new_doc(pet["id"])
    assert (await owner.call("DELETE", f"/api/docs/{doc['id']}")).status_code == 204
    assert httpx.get(doc["file_url"], timeout=10).status_code == 404
    assert (await owner.call("GET", f"/api/docs/{doc['id']}")).status_code == 404


async def test_html_declared_as_pdf_is_refused(owner: Owner) -> None:
    pet = await owner.new_pet()
    r = await owner.declare_doc(pet["id"], 60)
    html = b"<html><script>alert(document.cookie)</script></html>"
    post_to_storage(r.json()["upload"], html)
    done = await owner.call("POST", f"/api/docs/{r.json()['doc']['id']}/complete")
    assert done.status_code == 422
    assert done.json()["error"] == "content_mismatch"
    got = (await owner.call("GET", f"/api/docs/{r.json()['doc']['id']}")).json()
    assert got["state"] == "pending"
    assert got["file_url"] is None


async def test_storage_refuses_oversize_and_wrong_type(owner: Owner) -> None:
    pet = await owner.new_pet()
    r = await owner.declare_doc(pet["id"], 10)
    upload = r.json()["upload"]
    # The policy allows up to the plan limit (20 MiB); one byte more is refused by S3 itself.
    too_big = post_to_storage(upload, b"%PDF-" + b"0" * (20 * 1024 * 1024 - 4))
    assert too_big.status_code == 400
    assert post_to_storage(upload, PDF, **{"Content-Type": "text/html"}).status_code == 403
    assert post_to_storage(upload, PDF, key=upload["fields"]["key"] + "x").status_code == 403


async def test_declared_size_over_limit_is_422(owner: Owner, rows: Rows) -> None:
    pet = await owner.new_pet()
    r = await owner.declare_doc(pet["id"], 20971521)
    assert r.status_code == 422
    assert r.json()["error"] == "file_too_large"
    assert (await rows(owner))["documents"] == 0


async def test_document_limit_with_parallel_creates(owner: Owner, rows: Rows) -> None:
    pet = await owner.new_pet()
    for _ in range(17):
        assert (await owner.declare_doc(pet["id"], 10)).status_code == 201

    async def create() -> int:
        return (await owner.declare_doc(pet["id"], 10)).status_code

    codes = await asyncio.gather(*(create() for _ in range(10)))
    assert sorted(codes) == [201] * 3 + [409] * 7
    r = await owner.declare_doc(pet["id"], 10)
    assert r.json() == {"error": "document_limit", "detail": r.json()["detail"], "limit": 20}
    assert (await rows(owner))["documents"] == 20
