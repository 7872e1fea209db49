"""Account deletion: identity, every row and every object of the owner — and nobody else's."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from petshots_auth.settings import AuthSettings
from petshots_core.storage import Storage, owner_prefix
from petshots_testkit.api import PNG, Owner
from petshots_testkit.buckets import storage_client
from petshots_testkit.jobs import run_purge_jobs

OWNER_TABLES = {
    "owners": "id",
    "pets": "owner_id",
    "documents": "owner_id",
    "passports": "owner_id",
    "local_identities": "sub",
    "identity_codes": "sub",
    "refresh_tokens": "sub",
}


async def rows_of(db: AsyncEngine, sub: uuid.UUID) -> dict[str, int]:
    counts = {}
    async with db.connect() as conn:
        for table, column in OWNER_TABLES.items():
            counts[table] = (
                await conn.execute(
                    text(f"SELECT count(*) FROM {table} WHERE {column} = :s"), {"s": sub}
                )
            ).scalar_one()
        counts["passport_views"] = (
            await conn.execute(
                text(
                    "SELECT count(*) FROM passport_views v JOIN passports p ON p.id = v.passport_id"
                    " WHERE p.owner_id = :s"
                ),
                {"s": sub},
            )
        ).scalar_one()
    return counts


async def storage_prefix_of(db: AsyncEngine, sub: uuid.UUID) -> str:
    async with db.connect() as conn:
        return str(
            (
                await conn.execute(
                    text("SELECT storage_prefix FROM owners WHERE id = :s"), {"s": sub}
                )
            ).scalar_one()
        )


def objects_under(settings: AuthSettings, prefix: str) -> list[str]:
    listing = storage_client(settings).list_object_versions(
        Bucket=settings.uploads_bucket, Prefix=owner_prefix(prefix)
    )
    return [v["Key"] for v in listing.get("Versions", [])]


async def populate(
    records_client: AsyncTestClient[Litestar], db: AsyncEngine, session: Any
) -> None:
    owner = Owner(sub=session.sub, client=records_client, token=session.access_token)
    pet = await owner.new_pet("Ollie")
    await owner.new_doc(pet["id"])
    await owner.new_doc(pet["id"], label="DHPP", body=PNG, content_type="image/png")
    async with db.begin() as conn:
        passport = (
            await conn.execute(
                text(
                    "INSERT INTO passports (id, owner_id, pet_id, label, token_hash, token_sealed)"
                    " VALUES (:id, :o, :p, 'Front desk', :h, :s) RETURNING id"
                ),
                {
                    "id": uuid.uuid4(),
                    "o": session.sub,
                    "p": uuid.UUID(pet["id"]),
                    "h": uuid.uuid4().bytes * 2,
                    "s": b"x",
                },
            )
        ).scalar_one()
        await conn.execute(
            text(
                "INSERT INTO passport_views (passport_id, agent_class, device) VALUES (:p, 'browser', 'phone')"
            ),
            {"p": passport},
        )


async def run_purge_worker(settings: AuthSettings) -> None:
    """The job as the reminders worker will run it: arq, burst mode, on this run's queue."""
    engine = create_async_engine(settings.database_url)
    try:
        worker = await run_purge_jobs(
            redis_url=settings.redis_url,
            queue_name=settings.jobs_queue_name,
            storage=Storage(settings),
            engine=engine,
        )
    finally:
        await engine.dispose()
    assert worker.jobs_complete >= 1 and worker.jobs_failed == 0


async def test_deletion_leaves_nothing_of_the_owner_and_touches_no_one_else(
    client: AsyncTestClient[Litestar],
    records_client: AsyncTestClient[Litestar],
    signed_up: Any,
    db: AsyncEngine,
    auth_settings: AuthSettings,
    kit: Any,
) -> None:
    leaving, staying = await signed_up(), await signed_up()
    for session in (leaving, staying):
        await populate(records_client, db, session)
    leaving_prefix = await storage_prefix_of(db, leaving.sub)
    staying_prefix = await storage_prefix_of(db, staying.sub)
    staying_rows = await rows_of(db, staying.sub)
    staying_objects = objects_under(auth_settings, staying_prefix)
    assert len(objects_under(auth_settings, leaving_prefix)) == 2
    assert staying_rows["documents"] == 2 and staying_rows["passport_views"] == 1

    r = await client.delete("/auth/me", headers=leaving.headers)
    assert r.status_code == 204, r.text

    assert set((await rows_of(db, leaving.sub)).values()) == {0}
    async with db.connect() as conn:
        assert (
            await conn.execute(
                text("SELECT count(*) FROM deleted_subjects WHERE sub = :s"), {"s": leaving.sub}
            )
        ).scalar_one() == 1
    # Old tokens stop at once, at every service; the identity is gone; nothing comes back.
    assert (await client.get("/auth/me", headers=leaving.headers)).status_code == 401
    assert (await records_client.get("/api/pets", headers=leaving.headers)).status_code == 401
    assert (
        await records_client.post("/api/pets", headers=leaving.headers, json={"name": "Zombie"})
    ).status_code == 401
    assert (
        await client.post("/auth/refresh", json={"refresh_token": leaving.refresh_token})
    ).status_code == 401
    assert (await kit.login(leaving.email)).status_code == 401

    # The objects go through the queued job.
    await run_purge_worker(auth_settings)
    assert objects_under(auth_settings, leaving_prefix) == []
    async with db.connect() as conn:
        assert (
            await conn.execute(
                text("SELECT count(*) FROM object_purges WHERE storage_prefix = :p"),
                {"p": leaving_prefix},
            )
        ).scalar_one() == 0

    # The other owner is exactly as before.
    assert await rows_of(db, staying.sub) == staying_rows
    assert objects_under(auth_settings, staying_prefix) == staying_objects
    assert (await records_client.get("/api/pets", headers=staying.headers)).json()[0][
        "record_count"
    ] == 2

    # The address is free again: a new sign-up is a new owner.
    again = await kit.sign_up_and_confirm(leaving.email)
    tokens = (await kit.login(again)).json()
    me = (
        await client.get("/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    ).json()
    assert me["sub"] != str(leaving.sub)
