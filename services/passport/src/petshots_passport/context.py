"""What every owner operation works with: the owner, the session, the settings, the sealer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from petshots_passport.settings import PassportSettings
from petshots_passport.tokens import TokenSealer


@dataclass(slots=True)
class Ctx:
    owner_id: uuid.UUID
    session: AsyncSession
    settings: PassportSettings
    sealer: TokenSealer

    def passport_url(self, token: str) -> str:
        return f"{self.settings.public_base_url.rstrip('/')}/p/{token}"
