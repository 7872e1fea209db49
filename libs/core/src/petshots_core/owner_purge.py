"""Deleting every stored object of a deleted owner, as a queued arq job.

Account deletion (auth service) removes the owner's rows in one transaction and, in that same
transaction, writes the owner's storage prefix to the ``object_purges`` outbox; then it
enqueues :func:`purge_owner_objects`. The job deletes every object (every version) under the
prefix and only then removes the outbox row. So:

* a slow or unreachable bucket never blocks the deletion request;
* a job lost with Redis, or an enqueue that failed, leaves its outbox row behind and
  :func:`requeue_pending_purges` (a housekeeping cron of the worker) queues it again;
* running the job twice is harmless (arq may run a job more than once): the second run finds
  no outbox row, or an empty prefix;
* the job refuses a prefix that is not in the outbox, or that still belongs to an owner, so a
  stray enqueue can never delete a living owner's files.

The worker that runs it (``petshots-reminders worker``) registers ``purge_owner_objects`` and
``requeue_pending_purges`` and puts ``storage`` (:class:`Storage`) and ``engine`` (an
``AsyncEngine``) in the arq ``ctx`` from its ``on_startup``.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import structlog
from arq.connections import ArqRedis
from arq.worker import Retry
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_core.storage import Storage, StorageUnavailable, owner_prefix

log = structlog.get_logger(__name__)

PURGE_JOB = "purge_owner_objects"
DEFAULT_QUEUE = "arq:queue"  # arq's default queue name
_PREFIX = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_MAX_BACKOFF_S = 300


def purge_job_id(storage_prefix: str) -> str:
    """One job per prefix: arq drops a second enqueue while the first is queued or running."""
    return f"owner-purge:{storage_prefix}"


def _check_prefix(storage_prefix: str) -> None:
    if not _PREFIX.match(storage_prefix):
        raise ValueError("not a storage prefix")


async def enqueue_owner_purge(
    arq: ArqRedis, storage_prefix: str, *, queue_name: str = DEFAULT_QUEUE
) -> None:
    _check_prefix(storage_prefix)
    await arq.enqueue_job(
        PURGE_JOB, storage_prefix, _job_id=purge_job_id(storage_prefix), _queue_name=queue_name
    )


async def purge_owner_objects(ctx: dict[str, Any], storage_prefix: str) -> int:
    """Delete every object under the deleted owner's prefix; returns how many were deleted."""
    _check_prefix(storage_prefix)
    storage: Storage = ctx["storage"]
    engine: AsyncEngine = ctx["engine"]
    async with engine.connect() as conn:
        pending = (
            await conn.execute(
                text("SELECT 1 FROM object_purges WHERE storage_prefix = :p"),
                {"p": storage_prefix},
            )
        ).first()
        owned = (
            await conn.execute(
                text("SELECT 1 FROM owners WHERE storage_prefix = :p"), {"p": storage_prefix}
            )
        ).first()
    if owned is not None:
        log.error("owner_purge_refused", reason="prefix still belongs to an owner")
        return 0
    if pending is None:
        log.info("owner_purge_nothing_pending")
        return 0
    try:
        deleted = await storage.delete_prefix(owner_prefix(storage_prefix))
    except StorageUnavailable as exc:
        job_try = int(ctx.get("job_try", 1))
        async with engine.begin() as conn:
            await conn.execute(
                text("UPDATE object_purges SET attempts = attempts + 1 WHERE storage_prefix = :p"),
                {"p": storage_prefix},
            )
        log.warning("owner_purge_retry", job_try=job_try, error=type(exc).__name__)
        raise Retry(defer=min(_MAX_BACKOFF_S, 5 * 2**job_try)) from exc
    async with engine.begin() as conn:
        await conn.execute(
            text("DELETE FROM object_purges WHERE storage_prefix = :p"), {"p": storage_prefix}
        )
    log.info("owner_purged", objects=deleted)
    return deleted


async def requeue_pending_purges(
    ctx: dict[str, Any],
    *,
    older_than: timedelta = timedelta(minutes=15),
    queue_name: str = DEFAULT_QUEUE,
) -> int:
    """Queue again every outbox row older than ``older_than`` (a lost job or enqueue)."""
    engine: AsyncEngine = ctx["engine"]
    arq: ArqRedis = ctx["redis"]
    async with engine.connect() as conn:
        prefixes = (
            (
                await conn.execute(
                    text(
                        "SELECT storage_prefix FROM object_purges"
                        " WHERE requested_at < now() - make_interval(secs => :s)"
                        " ORDER BY requested_at LIMIT 1000"
                    ),
                    {"s": older_than.total_seconds()},
                )
            )
            .scalars()
            .all()
        )
    for prefix in prefixes:
        await enqueue_owner_purge(arq, prefix, queue_name=queue_name)
    return len(prefixes)
