"""Who gets a digest today: one set-based query over ``documents_next_remind``, streamed.

``next_remind_on`` is an owner-local date; every zone's local date is at most one day past
the UTC date, so ``next_remind_on <= run_date + 1`` is the index range and the per-owner
comparison refines it. The scan touches only records with a reminder due, never every owner.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

from arq.connections import ArqRedis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_reminders.clock import RunClock

SEND_DIGEST_JOB = "send_digest"

# Owners with reminders off, unverified or unknown addresses, suppressed addresses, and
# owners whose digest for this run date is already settled are left out here; the send job
# checks everything again under a lock, so this query only has to be a good filter.
DUE_OWNERS = text(
    """
    SELECT d.owner_id
    FROM documents d
    JOIN owners o ON o.id = d.owner_id
    WHERE d.next_remind_on <= :upper
      AND d.state = 'ready'
      AND d.next_remind_on <= (CAST(:instant AS timestamptz) AT TIME ZONE o.timezone)::date
      AND o.reminders_enabled
      AND o.email IS NOT NULL
      AND NOT EXISTS (
        SELECT 1 FROM local_identities li WHERE li.sub = o.id AND NOT li.email_verified)
      AND NOT EXISTS (SELECT 1 FROM email_suppressions s WHERE s.email = lower(o.email))
      AND NOT EXISTS (
        SELECT 1 FROM reminder_digests g
        WHERE g.owner_id = o.id AND g.run_date = :run_date AND g.state <> 'pending')
    GROUP BY d.owner_id
    """
)


async def due_owners(
    engine: AsyncEngine, clock: RunClock, *, batch: int = 5000
) -> AsyncIterator[uuid.UUID]:
    """Stream the owners with at least one due reminder (server-side cursor, flat memory)."""
    params = {
        "upper": clock.run_date + timedelta(days=1),
        "instant": clock.instant,
        "run_date": clock.run_date,
    }
    async with engine.connect() as conn:
        result = await conn.stream(DUE_OWNERS.execution_options(yield_per=batch), params)
        async for partition in result.partitions(batch):
            for row in partition:
                yield row[0]


def digest_job_id(owner_id: uuid.UUID, clock: RunClock) -> str:
    """One job per owner and day: arq ignores a second enqueue of the same id."""
    return f"digest:{owner_id}:{clock.run_date.isoformat()}"


async def enqueue_digests(
    engine: AsyncEngine, arq: ArqRedis, clock: RunClock, *, concurrency: int = 64
) -> int:
    """Plan and enqueue; returns how many owners were planned."""
    run_date, instant = clock.to_job()
    slots = asyncio.Semaphore(concurrency)
    pending: set[asyncio.Task[object]] = set()
    planned = 0

    async def enqueue(owner_id: uuid.UUID) -> None:
        try:
            await arq.enqueue_job(
                SEND_DIGEST_JOB,
                str(owner_id),
                run_date,
                instant,
                _job_id=digest_job_id(owner_id, clock),
            )
        finally:
            slots.release()

    async for owner_id in due_owners(engine, clock):
        await slots.acquire()
        task = asyncio.create_task(enqueue(owner_id))
        pending.add(task)
        task.add_done_callback(pending.discard)
        planned += 1
    if pending:
        await asyncio.gather(*pending)
    return planned
