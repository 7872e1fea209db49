"""Table rows → wire types, with statuses computed in the owner's time zone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import msgspec

from petshots_core.models import Document, Pet
from petshots_core.status import Status, days_to_expiry, pet_status, record_status
from petshots_core.storage import Storage
from petshots_records.context import OwnerClock
from petshots_records.domain.docs import schemas as doc_schemas
from petshots_records.domain.pets import schemas as pet_schemas
from petshots_records.reads import DocRow, PetRow

# What presenting reads: an ORM row (after a write) or a row of the read path (reads.py).
DocumentFields: TypeAlias = Document | DocRow
PetFields: TypeAlias = Pet | PetRow


def doc_status(doc: DocumentFields, clock: OwnerClock) -> Status:
    return record_status(doc.expires_on, clock.today, clock.due_soon_days)


def present_doc(doc: DocumentFields, clock: OwnerClock) -> doc_schemas.Doc:
    return doc_schemas.Doc(
        id=doc.id,
        pet_id=doc.pet_id,
        label=doc.label,
        expires_on=doc.expires_on,
        given_on=doc.given_on,
        filename=doc.filename,
        content_type=doc.content_type,
        size_bytes=doc.size_bytes,
        state=doc.state,
        pinned=doc.pinned,
        status=doc_status(doc, clock).value,
        days_to_expiry=days_to_expiry(doc.expires_on, clock.today),
        created_at=doc.created_at,
        updated_at=doc.updated_at,
    )


def photo_url(pet: PetFields, storage: Storage, ttl: int) -> str | None:
    if not pet.photo_key:
        return None
    return storage.download_url(
        pet.photo_key,
        filename=f"{pet.name}-photo",
        content_type=pet.photo_content_type,
        expires_in=ttl,
    )


def present_pet(
    pet: PetFields, docs: Sequence[DocumentFields], clock: OwnerClock, storage: Storage, ttl: int
) -> pet_schemas.Pet:
    ready = [d for d in docs if d.state == "ready"]
    status = pet_status(doc_status(d, clock) for d in ready)
    return present_pet_as(pet, status, len(ready), storage, ttl)


def present_pet_detail(
    pet: PetFields,
    docs: Sequence[DocumentFields],
    clock: OwnerClock,
    storage: Storage,
    ttl: int,
) -> pet_schemas.PetDetail:
    """The pet with every record (``docs``, newest first)."""
    base = present_pet(pet, docs, clock, storage, ttl)
    return pet_schemas.PetDetail(
        **msgspec.structs.asdict(base), documents=[present_doc(d, clock) for d in docs]
    )


def present_pet_as(
    pet: PetFields, status: Status, record_count: int, storage: Storage, ttl: int
) -> pet_schemas.Pet:
    """The pet with a status and count its caller already worked out from its ready records."""
    return pet_schemas.Pet(
        id=pet.id,
        name=pet.name,
        species=pet.species,  # type: ignore[arg-type]  # constrained by a CHECK
        breed=pet.breed,
        birth_date=pet.birth_date,
        status=status.value,
        record_count=record_count,
        photo_url=photo_url(pet, storage, ttl),
        created_at=pet.created_at,
    )
