from __future__ import annotations

import uuid
from datetime import date, datetime

import msgspec

from petshots_core.wire import Species, StatusName
from petshots_records.domain.docs.schemas import Doc
from petshots_records.domain.schemas_common import (
    PetName,
    PhotoContentType,
    ShortText,
    SizeBytes,
    Upload,
)


class PetCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: PetName
    species: Species = "dog"
    breed: ShortText | None = None
    birth_date: date | None = None


class PetUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Only the fields present change; ``null`` clears an optional field."""

    name: PetName | msgspec.UnsetType = msgspec.UNSET
    species: Species | msgspec.UnsetType = msgspec.UNSET
    breed: ShortText | msgspec.UnsetType | None = msgspec.UNSET
    birth_date: date | msgspec.UnsetType | None = msgspec.UNSET


class Pet(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    species: Species
    breed: str | None
    birth_date: date | None
    status: StatusName
    record_count: int
    photo_url: str | None
    created_at: datetime


class PetDetail(Pet, kw_only=True):
    documents: list[Doc]


class PhotoUploadRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    content_type: PhotoContentType
    size_bytes: SizeBytes


class PhotoUpload(msgspec.Struct, kw_only=True):
    upload: Upload
