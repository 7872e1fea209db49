from __future__ import annotations

import uuid
from datetime import date

import msgspec

from petshots_core.wire import StatusName
from petshots_records.domain.docs.schemas import Doc
from petshots_records.domain.pets.schemas import Pet


class AttentionItem(msgspec.Struct, kw_only=True):
    pet_id: uuid.UUID
    pet_name: str
    doc_id: uuid.UUID
    label: str
    expires_on: date | None
    status: StatusName
    days_to_expiry: int | None


class Dashboard(msgspec.Struct, kw_only=True):
    pets: list[Pet]
    attention: list[AttentionItem]
    pet_limit: int


class QuickShow(msgspec.Struct, kw_only=True):
    pet: Pet
    doc: Doc
    file_url: str
