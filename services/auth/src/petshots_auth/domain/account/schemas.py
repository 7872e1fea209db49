"""Wire types of the owner's own account: profile, reminder settings, logout."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

import msgspec


class Me(msgspec.Struct, kw_only=True):
    sub: uuid.UUID
    email: str | None
    email_verified: bool
    identity_provider: Literal["local", "cognito"]


class OwnerSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Types are checked by the schema (400); values by the rules below (422)."""

    reminders_enabled: bool
    reminder_thresholds_days: Annotated[
        list[int],
        msgspec.Meta(description="Distinct whole days before expiry, 0..365, at most 6"),
    ]
    timezone: Annotated[str, msgspec.Meta(description="An IANA time zone, e.g. Europe/Berlin")]
    due_soon_days: Annotated[int, msgspec.Meta(description="0..365 days")]


class Logout(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    refresh_token: Annotated[str, msgspec.Meta(min_length=1, max_length=8192)]
