"""Rows straight into the database, for tests that need exact dates rather than the API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass
class Seed:
    """Rows straight into the database: reminders tests need exact dates, not the API."""

    engine: AsyncEngine
    owners: list[uuid.UUID] = field(default_factory=list)

    async def owner(
        self,
        *,
        timezone: str = "UTC",
        thresholds: tuple[int, ...] = (60, 30, 7, 0),
        enabled: bool = True,
        email: str | None = None,
    ) -> tuple[uuid.UUID, str]:
        owner_id = uuid.uuid4()
        address = email or f"owner-{owner_id.hex[:12]}@example.test"
        async with self.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO owners (id, email, timezone, reminders_enabled,"
                    " reminder_thresholds_days, storage_prefix)"
                    " VALUES (:id, :email, :tz, :enabled, :thresholds, :prefix)"
                ),
                {
                    "id": owner_id,
                    "email": address,
                    "tz": timezone,
                    "enabled": enabled,
                    "thresholds": list(thresholds),
                    "prefix": owner_id.hex,
                },
            )
        self.owners.append(owner_id)
        return owner_id, address

    async def pet(self, owner_id: uuid.UUID, name: str = "Ollie") -> uuid.UUID:
        pet_id = uuid.uuid4()
        async with self.engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO pets (id, owner_id, name, species) VALUES (:id, :o, :n, 'dog')"),
                {"id": pet_id, "o": owner_id, "n": name},
            )
        return pet_id

    async def doc(
        self,
        owner_id: uuid.UUID,
        pet_id: uuid.UUID,
        label: str,
        expires_on: date | None,
        *,
        state: str = "ready",
    ) -> uuid.UUID:
        doc_id = uuid.uuid4()
        async with self.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO documents (id, owner_id, pet_id, label, expires_on, filename,"
                    " content_type, size_bytes, object_key, state)"
                    " VALUES (:id, :o, :p, :l, :e, 'c.pdf', 'application/pdf', 10, :k, :s)"
                ),
                {
                    "id": doc_id,
                    "o": owner_id,
                    "p": pet_id,
                    "l": label,
                    "e": expires_on,
                    "k": f"users/{owner_id.hex}/docs/{doc_id.hex}",
                    "s": state,
                },
            )
        return doc_id

    async def ledger(self, doc_id: uuid.UUID) -> list[tuple[int, date]]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT threshold_days, expires_on FROM reminder_ledger"
                    " WHERE document_id = :d ORDER BY threshold_days DESC"
                ),
                {"d": doc_id},
            )
            return [(r[0], r[1]) for r in rows]

    async def execute(self, sql: str, **params: object) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(text(sql), params)
