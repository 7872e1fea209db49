"""Clean-up of records whose upload never completed (the owner closed the tab, lost signal).

A pending record holds a place against the per-pet limit and may have bytes in storage that
nobody can see; after ``pending_doc_max_age_s`` both go. Idempotent and batched, so any
number of workers may run it at once (``SKIP LOCKED``).
"""

from __future__ import annotations

from datetime import timedelta

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_core.models import utcnow
from petshots_core.storage import Storage

log = structlog.get_logger(__name__)

_CLAIM = text(
    """
    SELECT id, object_key FROM documents
    WHERE state = 'pending' AND created_at < :cutoff
    ORDER BY created_at
    LIMIT :batch
    FOR UPDATE SKIP LOCKED
    """
)
_DELETE = text("DELETE FROM documents WHERE id = ANY(:ids)")


async def purge_stale_pending(
    engine: AsyncEngine, storage: Storage, max_age_s: int, *, batch: int = 500
) -> int:
    """Delete stale pending records and their objects; returns how many were removed."""
    cutoff = utcnow() - timedelta(seconds=max_age_s)
    removed = 0
    while True:
        async with engine.begin() as conn:
            rows = (await conn.execute(_CLAIM, {"cutoff": cutoff, "batch": batch})).all()
            if not rows:
                break
            # Objects first: a storage failure rolls the batch back and the next run retries.
            for row in rows:
                await storage.delete(row.object_key)
            await conn.execute(_DELETE, {"ids": [row.id for row in rows]})
        removed += len(rows)
        if len(rows) < batch:
            break
    if removed:
        log.info("pending_uploads_purged", count=removed)
    return removed
