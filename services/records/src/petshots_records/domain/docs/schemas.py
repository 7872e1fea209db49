from __future__ import annotations

import uuid
from datetime import date, datetime

import msgspec

from petshots_core.wire import StatusName
from petshots_records.domain.schemas_common import (
    DocContentType,
    Filename,
    Label,
    SizeBytes,
    Upload,
)


class DocCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    label: Label
    filename: Filename
    content_type: DocContentType
    size_bytes: SizeBytes
    expires_on: date | None = None
    given_on: date | None = None


class DocUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Only the fields present change; ``"expires_on": null`` clears the expiry."""

    label: Label | msgspec.UnsetType = msgspec.UNSET
    expires_on: date | msgspec.UnsetType | None = msgspec.UNSET
    given_on: date | msgspec.UnsetType | None = msgspec.UNSET
    pinned: bool | msgspec.UnsetType = msgspec.UNSET


class Doc(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    pet_id: uuid.UUID
    label: str
    expires_on: date | None
    given_on: date | None
    filename: str
    content_type: str
    size_bytes: int
    state: str
    pinned: bool
    status: StatusName
    days_to_expiry: int | None
    created_at: datetime
    updated_at: datetime


class DocDetail(Doc, kw_only=True):
    file_url: str | None


class DocCreated(msgspec.Struct, kw_only=True):
    doc: Doc
    upload: Upload
