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
from dataclasses import dataclass
from datetime import date, datetime

from petshots_core.read_pool import ReadPool
from petshots_core.settings import Settings


@dataclass(frozen=True, slots=True)
class PetRow:
    id: uuid.UUID
    name: str
    species: str
    breed: str | None
    birth_date: date | None
    photo_key: str | None
    photo_content_type: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DocRow:
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


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The owner's clock settings (None: no owner row yet), pets in order, their records."""

    time_zone: str | None
    due_soon_days: int | None
    pets: list[PetRow]
    docs: dict[uuid.UUID, list[DocRow]]


# $1 owner, $2 one pet or NULL, $3 every record (TRUE) or only ready ones (FALSE).
# The one-row FROM keeps the owner's settings in the answer when they have no pets.
_SNAPSHOT = """
    SELECT o.timezone, o.due_soon_days,
           p.id AS pet_id, p.name, p.species, p.breed, p.birth_date, p.photo_key,
           p.photo_content_type, p.created_at AS pet_created_at,
           d.id AS doc_id, d.label, d.expires_on, d.given_on, d.filename, d.content_type,
           d.size_bytes, d.object_key, d.state, d.pinned, d.created_at AS doc_created_at,
           d.updated_at AS doc_updated_at
    FROM (SELECT 1) AS one
    LEFT JOIN owners o ON o.id = $1
    LEFT JOIN pets p ON p.owner_id = $1 AND ($2::uuid IS NULL OR p.id = $2::uuid)
    LEFT JOIN documents d
           ON d.pet_id = p.id AND d.owner_id = $1 AND ($3::boolean OR d.state = 'ready')
    ORDER BY p.created_at, p.id, d.created_at DESC, d.id
"""


class OwnerReads:
    def __init__(self, settings: Settings) -> None:
        self._pool = ReadPool(settings, name="records")

    async def start(self) -> None:
        await self._pool.start()

    async def close(self) -> None:
        await self._pool.close()

    async def snapshot(
        self, owner_id: uuid.UUID, *, pet_id: uuid.UUID | None = None, every_state: bool = False
    ) -> Snapshot:
        rows = await self._pool.fetch(_SNAPSHOT, owner_id, pet_id, every_state)
        first = rows[0]
        pets: list[PetRow] = []
        docs: dict[uuid.UUID, list[DocRow]] = {}
        for r in rows:
            pet = r["pet_id"]
            if pet is None:
                continue
            if pet not in docs:
                docs[pet] = []
                pets.append(
                    PetRow(
                        pet,
                        r["name"],
                        r["species"],
                        r["breed"],
                        r["birth_date"],
                        r["photo_key"],
                        r["photo_content_type"],
                        r["pet_created_at"],
                    )
                )
            if r["doc_id"] is not None:
                docs[pet].append(
                    DocRow(
                        r["doc_id"],
                        pet,
                        r["label"],
                        r["expires_on"],
                        r["given_on"],
                        r["filename"],
                        r["content_type"],
                        r["size_bytes"],
                        r["object_key"],
                        r["state"],
                        r["pinned"],
                        r["doc_created_at"],
                        r["doc_updated_at"],
                    )
                )
        return Snapshot(first["timezone"], first["due_soon_days"], pets, docs)
