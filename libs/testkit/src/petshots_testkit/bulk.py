"""Seeded owners, pets, records and passports written with COPY (the benchmarks' databases and
the fault suite's owners): many rows at once, exactly as the caller shaped them."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import asyncpg

from petshots_core.storage import owner_prefix

Row = tuple[object, ...]

# What every seeded record fills, in document_row's order; a caller may add columns after.
DOCUMENT_COLUMNS = (
    "id",
    "owner_id",
    "pet_id",
    "label",
    "expires_on",
    "filename",
    "content_type",
    "size_bytes",
    "object_key",
    "state",
)


def document_row(
    doc_id: uuid.UUID,
    owner_id: uuid.UUID,
    pet_id: uuid.UUID,
    label: str,
    expires_on: date | None,
    *,
    filename: str,
    size_bytes: int,
    content_type: str = "application/pdf",
    state: str = "ready",
) -> Row:
    """A record's row in ``DOCUMENT_COLUMNS`` order, its object under the owner's prefix (a
    seeded owner's ``storage_prefix`` is its id's hex)."""
    object_key = f"{owner_prefix(owner_id.hex)}docs/{doc_id.hex}"
    return (
        doc_id,
        owner_id,
        pet_id,
        label,
        expires_on,
        filename,
        content_type,
        size_bytes,
        object_key,
        state,
    )


class CopyBatches:
    """Rows per table, written in the order the tables were named: parents before children,
    so foreign keys hold even while the tables' triggers run."""

    def __init__(self, conn: Any, columns: Mapping[str, Sequence[str]]) -> None:
        self.connection = conn
        self._columns = {table: list(names) for table, names in columns.items()}
        self._rows: dict[str, list[Row]] = {table: [] for table in columns}

    def add(self, table: str, *rows: Row) -> None:
        self._rows[table].extend(rows)

    def pending(self, table: str) -> int:
        return len(self._rows[table])

    async def flush(self) -> None:
        for table, columns in self._columns.items():
            rows = self._rows[table]
            if rows:
                await self.connection.copy_records_to_table(table, records=rows, columns=columns)
                rows.clear()


@asynccontextmanager
async def copy_rows(
    dsn: str,
    columns: Mapping[str, Sequence[str]],
    *,
    triggers: bool = True,
    analyze: bool = False,
    connect_timeout_s: float = 30,
) -> AsyncIterator[CopyBatches]:
    """Batches for the ``columns`` of each table on a connection to ``dsn``; what is still
    pending when the block ends is written then (nothing is written if it raises).

    ``triggers=False`` is for a bulk load whose derived columns the caller already computed
    (a steady state): the tables' triggers, foreign-key checks included, do not fire.
    ``analyze`` refreshes the planner's statistics afterwards, which a bulk load leaves stale.
    """
    conn = await asyncpg.connect(dsn, timeout=connect_timeout_s)
    try:
        if not triggers:
            await conn.execute("SET session_replication_role = replica")
        batches = CopyBatches(conn, columns)
        yield batches
        await batches.flush()
        if analyze:
            await conn.execute("ANALYZE")
    finally:
        await conn.close()
