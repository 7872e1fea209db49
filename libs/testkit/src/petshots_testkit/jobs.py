"""Queued arq jobs run for real, as the reminders worker runs them, until their queue is empty."""

from __future__ import annotations

from typing import Any

from arq.connections import RedisSettings
from arq.worker import Worker, func
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_core.owner_purge import PURGE_JOB, purge_owner_objects
from petshots_core.storage import Storage


async def run_purge_jobs(
    *, redis_url: str, queue_name: str, storage: Storage, engine: AsyncEngine
) -> Worker:
    """Every owner-purge job on ``queue_name`` (arq, burst mode); the finished worker, whose
    ``jobs_complete`` and ``jobs_failed`` say how it went."""

    async def startup(ctx: dict[str, Any]) -> None:
        ctx["storage"] = storage
        ctx["engine"] = engine

    worker = Worker(
        functions=[func(purge_owner_objects, name=PURGE_JOB)],
        queue_name=queue_name,
        redis_settings=RedisSettings.from_dsn(redis_url),
        burst=True,
        on_startup=startup,
        handle_signals=False,
        poll_delay=0.1,
    )
    try:
        await worker.main()
    finally:
        await worker.close()
    return worker
