"""Housekeeping on the reminders worker: stale uploads, deleted owners' files, old view logs."""

from __future__ import annotations

from datetime import timedelta

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

log = structlog.get_logger(__name__)

_PRUNE_VIEWS = text(
    """
    DELETE FROM passport_views
    WHERE id IN (SELECT id FROM passport_views WHERE viewed_at < now() - :age LIMIT :batch)
    """
)


async def prune_view_logs(engine: AsyncEngine, retention_days: int, *, batch: int = 10_000) -> int:
    """Delete passport views older than the retention, in batches (short locks)."""
    removed = 0
    while True:
        async with engine.begin() as conn:
            count = (
                await conn.execute(
                    _PRUNE_VIEWS, {"age": timedelta(days=retention_days), "batch": batch}
                )
            ).rowcount
        removed += count
        if count < batch:
            break
    if removed:
        log.info("view_logs_pruned", count=removed)
    return removed
