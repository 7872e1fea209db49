"""The owner's hot read paths — dashboard, pet page, Quick Show — in one SQL statement each.

They run on a small asyncpg pool of their own (``petshots_core.read_pool``) rather than
through the SQLAlchemy session: measured with ``bench/api_load.py``, the ORM path (a clock
query and two ORM queries inside BEGIN/COMMIT, ~30 mapped objects) cost ~5x the CPU of one
``fetch`` that returns the owner's clock, pets and records as plain rows. The pool is
autocommit: a single read statement needs no BEGIN/COMMIT round trips. Writes keep the shared
SQLAlchemy session and its per-request transaction. The pool connects lazily (start-up does
not wait for Postgres) and an unreachable database is the shared 503.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

import asyncpg

from petshots_core.read_pool import ReadPool
from petshots_core.settings import Settings


class PetRow(NamedTuple):
    # Tuples, not dataclasses: built straight from a slice of the row (``_make``), ~10x
    # cheaper per object than a frozen dataclass's __init__, and read-only all the same.
    id: uuid.UUID
    name: str
    species: str
    breed: str | None
    birth_date: date | None
    photo_key: str | None
    photo_content_type: str | None
    created_at: datetime


class DocRow(NamedTuple):
    id: uuid.UUID
    pet_id: uuid.UUID
    label: str
    expires_on: date | None
    given_on: date | None
    filename: str
    content_type: str
    size_bytes: int
    object_key: str
    state: str
    pinned: bool
    created_at: datetime
    updated_at: datetime


class ReadyDoc(NamedTuple):
    """What the dashboard reads of a ready record."""

    id: uuid.UUID
    label: str
    expires_on: date | None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The owner's clock settings (None: no owner row yet), pets in order, their records."""

    time_zone: str | None
    due_soon_days: int | None
    pets: list[PetRow]
    docs: dict[uuid.UUID, list[DocRow]]


@dataclass(frozen=True, slots=True)
class Summary:
    """The dashboard's read: clock settings, pets in order, each pet's ready records."""

    time_zone: str | None
    due_soon_days: int | None
    pets: list[PetRow]
    ready: dict[uuid.UUID, list[ReadyDoc]]


def _columns(table: str, fields: Sequence[str], renamed: Mapping[str, str]) -> str:
    """``table.field`` for each field in order; ``AS`` a name of its own where the joined
    tables share a column name (``id``, ``created_at`` …)."""
    return ", ".join(
        f"{table}.{name} AS {renamed[name]}" if name in renamed else f"{table}.{name}"
        for name in fields
    )


# Each statement's row: the owner's clock settings, a pet in PetRow's order, then (_PET_ROW,
# _QUICK_SHOW) a record in DocRow's order. Rows are cut into those tuples by position.
_PET_COLUMNS = _columns("p", PetRow._fields, {"id": "pet_id", "created_at": "pet_created_at"})
_DOC_COLUMNS = _columns(
    "d",
    DocRow._fields,
    {
        "id": "doc_id",
        "pet_id": "doc_pet_id",
        "created_at": "doc_created_at",
        "updated_at": "doc_updated_at",
    },
)
_OWNER_AND_PET = f"o.timezone, o.due_soon_days, {_PET_COLUMNS}"
_WITH_DOC = f"{_OWNER_AND_PET}, {_DOC_COLUMNS}"
_PET = slice(2, 2 + len(PetRow._fields))
_DOC = slice(_PET.stop, _PET.stop + len(DocRow._fields))

# The statements are put together from the column lists above, constants of this module;
# every value is a bind parameter.

# $1 owner, $2 pet: the pet page's pet (none if not the owner's) with every record.
# The one-row FROM keeps the owner's settings in the answer when there is no such pet.
_PET_ROW = f"""
    SELECT {_WITH_DOC}
    FROM (SELECT 1) AS one
    LEFT JOIN owners o ON o.id = $1
    LEFT JOIN pets p ON p.owner_id = $1 AND p.id = $2
    LEFT JOIN documents d ON d.pet_id = p.id AND d.owner_id = $1
    ORDER BY d.created_at DESC, d.id
"""  # noqa: S608

# $1 owner, $2 one pet or NULL. Quick Show's candidates: that pet, or else the owner's first
# pet with a ready record, and its ready records: a third of the rows that every pet's
# records would be for an owner with three pets, when only one pet can be shown.
_QUICK_SHOW = f"""
    SELECT {_WITH_DOC}
    FROM (SELECT 1) AS one
    LEFT JOIN owners o ON o.id = $1
    LEFT JOIN LATERAL (
        SELECT p.* FROM pets p
        WHERE p.owner_id = $1 AND ($2::uuid IS NULL OR p.id = $2::uuid)
          AND ($2::uuid IS NOT NULL OR EXISTS (
                SELECT FROM documents x
                WHERE x.pet_id = p.id AND x.owner_id = $1 AND x.state = 'ready'))
        ORDER BY p.created_at, p.id
        LIMIT 1
    ) p ON TRUE
    LEFT JOIN documents d ON d.pet_id = p.id AND d.owner_id = $1 AND d.state = 'ready'
    ORDER BY d.created_at DESC, d.id
"""  # noqa: S608

# $1 owner. One row per pet, its ready records as three parallel arrays (newest first):
# about half the CPU on both ends of one row per record for the dashboard (no row per record
# repeating the pet, no timestamps per record; one scan of the owner's records rather than
# one per pet; measured with asyncpg against the bench's data).
_SUMMARY = f"""
    SELECT {_OWNER_AND_PET}, d.ids, d.labels, d.expiries
    FROM (SELECT 1) AS one
    LEFT JOIN owners o ON o.id = $1
    LEFT JOIN pets p ON p.owner_id = $1
    LEFT JOIN (
        SELECT d.pet_id,
               array_agg(d.id ORDER BY d.created_at DESC, d.id) AS ids,
               array_agg(d.label ORDER BY d.created_at DESC, d.id) AS labels,
               array_agg(d.expires_on ORDER BY d.created_at DESC, d.id) AS expiries
        FROM documents d
        WHERE d.owner_id = $1 AND d.state = 'ready'
        GROUP BY d.pet_id
    ) d ON d.pet_id = p.id
    ORDER BY p.created_at, p.id
"""  # noqa: S608


class OwnerReads:
    def __init__(self, settings: Settings) -> None:
        self._pool = ReadPool(settings, name="records")

    async def start(self) -> None:
        await self._pool.start()

    async def close(self) -> None:
        await self._pool.close()

    async def pet(self, owner_id: uuid.UUID, pet_id: uuid.UUID) -> Snapshot:
        """The owner's pet ``pet_id`` (no pet if not theirs) with every record, newest first."""
        return _snapshot(await self._pool.fetch(_PET_ROW, owner_id, pet_id))

    async def quick_show_candidates(
        self, owner_id: uuid.UUID, pet_id: uuid.UUID | None = None
    ) -> Snapshot:
        """``pet_id`` (if the owner's), or else the owner's first pet with a ready record —
        at most one pet — with its ready records."""
        return _snapshot(await self._pool.fetch(_QUICK_SHOW, owner_id, pet_id))

    async def summary(self, owner_id: uuid.UUID) -> Summary:
        rows = await self._pool.fetch(_SUMMARY, owner_id)
        pets: list[PetRow] = []
        ready: dict[uuid.UUID, list[ReadyDoc]] = {}
        for r in rows:
            if r["pet_id"] is None:
                continue
            pet = PetRow._make(r[_PET])
            pets.append(pet)
            ids = r["ids"]  # NULL when the pet has no ready record
            ready[pet.id] = (
                list(map(ReadyDoc._make, zip(ids, r["labels"], r["expiries"], strict=True)))
                if ids
                else []
            )
        first = rows[0]
        return Summary(first["timezone"], first["due_soon_days"], pets, ready)


def _snapshot(rows: list[asyncpg.Record]) -> Snapshot:
    """Rows of _PET_ROW or _QUICK_SHOW (one per record, or one per pet without records)."""
    pets: list[PetRow] = []
    docs: dict[uuid.UUID, list[DocRow]] = {}
    for r in rows:
        pet = r["pet_id"]
        if pet is None:
            continue
        if pet not in docs:
            docs[pet] = []
            pets.append(PetRow._make(r[_PET]))
        if r["doc_id"] is not None:
            docs[pet].append(DocRow._make(r[_DOC]))
    first = rows[0]
    return Snapshot(first["timezone"], first["due_soon_days"], pets, docs)
