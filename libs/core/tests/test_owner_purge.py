"""The deleted owner's objects go by prefix, through the outbox, and nobody else's ever do."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from arq.connections import ArqRedis
from arq.worker import Retry
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_core.models import new_storage_prefix
from petshots_core.owner_purge import (
    enqueue_owner_purge,
    purge_owner_objects,
    requeue_pending_purges,
)
from petshots_core.settings import Settings
from petshots_core.storage import Storage, owner_prefix
from petshots_devstack.waiting import free_port
from petshots_testkit.buckets import storage_client
from petshots_testkit.jobs import run_purge_jobs


@pytest.fixture(scope="module")
def storage(settings: Settings) -> Storage:
    return Storage(settings)


def put_objects(settings: Settings, prefix: str, n: int = 3) -> None:
    client = storage_client(settings)
    for i in range(n):
        client.put_object(
            Bucket=settings.uploads_bucket, Key=f"{owner_prefix(prefix)}docs/{i}", Body=b"%PDF-1.7"
        )


def keys(settings: Settings, prefix: str) -> list[str]:
    listing = storage_client(settings).list_objects_v2(
        Bucket=settings.uploads_bucket, Prefix=owner_prefix(prefix)
    )
    return [o["Key"] for o in listing.get("Contents", [])]


async def request_purge(engine: AsyncEngine, prefix: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO object_purges (storage_prefix) VALUES (:p)"), {"p": prefix}
        )


async def outbox(engine: AsyncEngine, prefix: str) -> int | None:
    async with engine.connect() as conn:
        return (
            await conn.execute(
                text("SELECT attempts FROM object_purges WHERE storage_prefix = :p"), {"p": prefix}
            )
        ).scalar_one_or_none()


async def test_purges_the_prefix_and_only_it(
    settings: Settings, storage: Storage, db: AsyncEngine
) -> None:
    gone, kept = new_storage_prefix(), new_storage_prefix()
    # A prefix that starts like the deleted one must not be caught by it.
    lookalike = gone[:-1] + ("0" if gone[-1] != "0" else "1")
    for prefix in (gone, kept, lookalike):
        put_objects(settings, prefix)
    await request_purge(db, gone)
    ctx = {"storage": storage, "engine": db}
    assert await purge_owner_objects(ctx, gone) == 3
    assert keys(settings, gone) == []
    assert len(keys(settings, kept)) == 3 and len(keys(settings, lookalike)) == 3
    assert await outbox(db, gone) is None
    # Running again (arq may run a job twice) is harmless.
    assert await purge_owner_objects(ctx, gone) == 0


async def test_refuses_a_prefix_that_still_has_an_owner(
    settings: Settings, storage: Storage, db: AsyncEngine
) -> None:
    prefix = new_storage_prefix()
    put_objects(settings, prefix)
    async with db.begin() as conn:
        await conn.execute(
            text("INSERT INTO owners (id, storage_prefix) VALUES (:id, :p)"),
            {"id": uuid.uuid4(), "p": prefix},
        )
    await request_purge(db, prefix)
    assert await purge_owner_objects({"storage": storage, "engine": db}, prefix) == 0
    assert len(keys(settings, prefix)) == 3


async def test_refuses_a_prefix_nobody_asked_to_purge(
    settings: Settings, storage: Storage, db: AsyncEngine
) -> None:
    prefix = new_storage_prefix()
    put_objects(settings, prefix)
    assert await purge_owner_objects({"storage": storage, "engine": db}, prefix) == 0
    assert len(keys(settings, prefix)) == 3
    for bad in ("", "../x", "a/b/c/d/e/f", "x" * 65):
        with pytest.raises(ValueError):
            await purge_owner_objects({"storage": storage, "engine": db}, bad)


async def test_unreachable_storage_retries_and_keeps_the_outbox_row(
    settings: Settings, db: AsyncEngine
) -> None:
    prefix = new_storage_prefix()
    await request_purge(db, prefix)
    dead = Storage(
        settings.model_copy(update={"s3_endpoint_url": f"http://127.0.0.1:{free_port()}"})
    )
    with pytest.raises(Retry):
        await purge_owner_objects({"storage": dead, "engine": db, "job_try": 1}, prefix)
    assert await outbox(db, prefix) == 1


async def test_queued_through_arq_and_requeued_from_the_outbox(
    settings: Settings, storage: Storage, db: AsyncEngine
) -> None:
    queue = f"petshots:test:{uuid.uuid4().hex[:8]}:queue"
    first, lost = new_storage_prefix(), new_storage_prefix()
    for prefix in (first, lost):
        put_objects(settings, prefix)
        await request_purge(db, prefix)
    redis = ArqRedis.from_url(settings.redis_url)
    try:
        await enqueue_owner_purge(redis, first, queue_name=queue)
        await enqueue_owner_purge(redis, first, queue_name=queue)  # one job per prefix
        # `lost` was never enqueued (say Redis was down): the sweep finds its outbox row.
        assert (
            await requeue_pending_purges(
                {"engine": db, "redis": redis}, older_than=timedelta(0), queue_name=queue
            )
            >= 2
        )
        worker = await run_purge_jobs(
            redis_url=settings.redis_url, queue_name=queue, storage=storage, engine=db
        )
        assert worker.jobs_failed == 0
    finally:
        await redis.delete(queue)
        await redis.aclose()
    assert keys(settings, first) == [] and keys(settings, lost) == []
    assert await outbox(db, first) is None and await outbox(db, lost) is None
