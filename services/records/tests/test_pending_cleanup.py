from __future__ import annotations

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_core.pending_uploads import purge_stale_pending
from petshots_core.settings import Settings
from petshots_core.storage import Storage
from petshots_testkit.api import PDF, Owner, post_to_storage


async def test_stale_pending_records_and_their_bytes_are_removed(
    owner: Owner, db: AsyncEngine, settings: Settings
) -> None:
    pet = await owner.new_pet()
    ready = await owner.new_doc(pet["id"])
    stale = (await owner.declare_doc(pet["id"], len(PDF))).json()
    post_to_storage(stale["upload"], PDF)  # uploaded but never completed
    fresh = (await owner.declare_doc(pet["id"], len(PDF))).json()
    async with db.begin() as conn:
        await conn.execute(
            text("UPDATE documents SET created_at = now() - interval '25 hours' WHERE id = :i"),
            {"i": stale["doc"]["id"]},
        )
        key = (
            await conn.execute(
                text("SELECT object_key FROM documents WHERE id = :i"), {"i": stale["doc"]["id"]}
            )
        ).scalar_one()
    storage = Storage(settings)
    assert await storage.head(key) is not None
    assert await purge_stale_pending(db, storage, settings.pending_doc_max_age_s) >= 1
    assert await storage.head(key) is None
    assert (await owner.call("GET", f"/api/docs/{stale['doc']['id']}")).status_code == 404
    assert (await owner.call("GET", f"/api/docs/{fresh['doc']['id']}")).status_code == 200
    got = (await owner.call("GET", f"/api/docs/{ready['id']}")).json()
    assert httpx.get(got["file_url"], timeout=10).status_code == 200
    # idempotent: a second run finds nothing of this owner's to do
    assert (await owner.call("GET", f"/api/pets/{pet['id']}")).json()["record_count"] == 1
