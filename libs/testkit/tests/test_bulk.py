"""copy_rows: the COPY loader the benchmarks and the fault suite seed their owners with."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from petshots_testkit.bulk import DOCUMENT_COLUMNS, copy_rows, document_row

COLUMNS = {
    "owners": ["id", "email", "timezone", "storage_prefix"],
    "pets": ["id", "owner_id", "name", "species"],
}


def _dsn(database_url: str) -> str:
    return database_url.replace("postgresql+asyncpg://", "postgresql://")


async def _pets_of(dsn: str, owner_id: uuid.UUID) -> list[str]:
    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        rows = await conn.fetch("SELECT name FROM pets WHERE owner_id = $1 ORDER BY name", owner_id)
        return [row["name"] for row in rows]
    finally:
        await conn.close()


def _owner() -> tuple[uuid.UUID, tuple[object, ...]]:
    owner_id = uuid.uuid4()
    return owner_id, (owner_id, f"bulk-{owner_id.hex[:12]}@example.test", "UTC", owner_id.hex)


async def test_parents_go_first_and_the_rest_is_written_at_the_end(database_url: str) -> None:
    dsn = _dsn(database_url)
    first, first_row = _owner()
    second, second_row = _owner()
    # Children are added before their parent: the table order decides, and foreign keys
    # are checked (triggers on).
    async with copy_rows(dsn, COLUMNS) as load:
        load.add("pets", (uuid.uuid4(), first, "Rex", "dog"), (uuid.uuid4(), first, "Ada", "cat"))
        load.add("owners", first_row)
        assert load.pending("pets") == 2
        await load.flush()
        assert load.pending("pets") == 0
        assert await _pets_of(dsn, first) == ["Ada", "Rex"]
        load.add("owners", second_row)
        load.add("pets", (uuid.uuid4(), second, "Bo", "dog"))
    assert await _pets_of(dsn, second) == ["Bo"]


async def test_nothing_pending_is_written_when_the_block_fails(database_url: str) -> None:
    dsn = _dsn(database_url)
    owner_id, row = _owner()
    with pytest.raises(RuntimeError):
        async with copy_rows(dsn, COLUMNS) as load:
            load.add("owners", row)
            load.add("pets", (uuid.uuid4(), owner_id, "Rex", "dog"))
            raise RuntimeError("seeding went wrong")
    assert await _pets_of(dsn, owner_id) == []


async def test_without_triggers_foreign_keys_are_not_checked(database_url: str) -> None:
    # The benchmarks' bulk loads rely on this: their rows are consistent by construction.
    dsn = _dsn(database_url)
    orphan_owner = uuid.uuid4()
    async with copy_rows(dsn, COLUMNS, triggers=False, analyze=True) as load:
        load.add("pets", (uuid.uuid4(), orphan_owner, "Stray", "dog"))
    assert await _pets_of(dsn, orphan_owner) == ["Stray"]
    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        await conn.execute("DELETE FROM pets WHERE owner_id = $1", orphan_owner)
    finally:
        await conn.close()


def test_a_document_row_matches_its_columns_and_keeps_its_object_under_the_owner() -> None:
    owner_id, pet_id, doc_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    row = document_row(doc_id, owner_id, pet_id, "Rabies", None, filename="c.pdf", size_bytes=10)
    values = dict(zip(DOCUMENT_COLUMNS, row, strict=True))
    assert values["object_key"] == f"users/{owner_id.hex}/docs/{doc_id.hex}"
    assert (values["content_type"], values["state"]) == ("application/pdf", "ready")
