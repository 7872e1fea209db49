"""Owner-side wire types of the passport API (validation lives in the types)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from petshots_core.wire import PLAIN_TEXT
from petshots_passport.lib.user_agents import AgentClass, Device

PassportLabel = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=80,
        pattern=PLAIN_TEXT,
        description="Who this passport is for, e.g. the facility: 'Happy Paws Daycare'",
    ),
]
ExpiresInDays = Annotated[
    int, msgspec.Meta(ge=1, le=365, description="Days until the link stops working")
]
PassportState = Literal["active", "expired", "revoked"]


class PassportCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pet_id: uuid.UUID
    label: PassportLabel = "Passport"
    # Required, null allowed: a link that never expires is an explicit choice.
    expires_in_days: ExpiresInDays | None


class Passport(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    pet_id: uuid.UUID
    label: str
    state: PassportState
    url: str | None  # the public link; null once revoked
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    facility_views: int  # every view except chat apps' link previews
    link_previews: int
    last_viewed_at: datetime | None


class PassportView(msgspec.Struct, kw_only=True):
    viewed_at: datetime
    agent_class: AgentClass
    device: Device
    network: str | None  # the viewer's /24 (IPv4) or /48 (IPv6), never the address


class PassportViews(msgspec.Struct, kw_only=True):
    passport_id: uuid.UUID
    facility_views: int
    link_previews: int
    views: list[PassportView]  # newest first, at most `limit`
