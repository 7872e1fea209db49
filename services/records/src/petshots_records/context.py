"""What every records operation works with: the owner, their clock, the session, storage."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from litestar.exceptions import NotAuthorizedException
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from petshots_core.models import Owner, new_storage_prefix
from petshots_core.settings import Settings
from petshots_core.status import today_in
from petshots_core.storage import Storage
from petshots_records.reads import OwnerReads, Snapshot, Summary


@dataclass(slots=True)
class OwnerClock:
    """The owner's view of time: "today" in their zone and their due-soon window."""

    today: date
    due_soon_days: int


@dataclass(slots=True)
class ReadCtx:
    """The hot read paths' context: no ORM session, one statement on the read pool."""

    owner_id: uuid.UUID
    reads: OwnerReads
    storage: Storage
    settings: Settings
    now: datetime

    def clock(self, snapshot: Snapshot | Summary) -> OwnerClock:
        if snapshot.time_zone is None or snapshot.due_soon_days is None:
            return OwnerClock(today_in("UTC", self.now), self.settings.due_soon_days_default)
        return OwnerClock(today_in(snapshot.time_zone, self.now), snapshot.due_soon_days)


@dataclass(slots=True)
class Ctx:
    owner_id: uuid.UUID
    session: AsyncSession
    storage: Storage
    settings: Settings
    now: datetime

    async def clock(self) -> OwnerClock:
        row = (
            await self.session.execute(
                select(col(Owner.timezone), col(Owner.due_soon_days)).where(
                    col(Owner.id) == self.owner_id
                )
            )
        ).first()
        if row is None:
            return OwnerClock(today_in("UTC", self.now), self.settings.due_soon_days_default)
        return OwnerClock(today_in(row.timezone, self.now), row.due_soon_days)

    async def lock_owner(self) -> Owner:
        """The owner row, created on first write and locked until the transaction ends.

        Serialising an owner's writes on this row is what keeps parallel requests from
        pushing them past the pet limit.
        """
        # A deleted owner's still-unexpired token must not bring the account back.
        await self.session.execute(
            text(
                "INSERT INTO owners (id, storage_prefix, due_soon_days)"
                " SELECT :id, :prefix, :due"
                " WHERE NOT EXISTS (SELECT 1 FROM deleted_subjects WHERE sub = :id)"
                " ON CONFLICT (id) DO NOTHING"
            ),
            {
                "id": self.owner_id,
                "prefix": new_storage_prefix(),
                "due": self.settings.due_soon_days_default,
            },
        )
        owner = (
            await self.session.execute(
                select(Owner).where(col(Owner.id) == self.owner_id).with_for_update()
            )
        ).scalar_one_or_none()
        if owner is None:
            raise NotAuthorizedException()
        return owner
