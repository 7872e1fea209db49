"""Pet rules: the per-owner limit, photos, deletion with every record and file."""

from __future__ import annotations

import uuid
from collections import defaultdict

import msgspec
from sqlalchemy import delete, func, select
from sqlmodel import col

from petshots_core.filetypes import SNIFF_BYTES, content_matches
from petshots_core.images import strip_stored_image
from petshots_core.models import Document, Pet, utcnow
from petshots_core.storage import new_object_key
from petshots_core.web.errors import ApiError, not_found
from petshots_records.context import Ctx, ReadCtx
from petshots_records.domain.pets import schemas
from petshots_records.domain.schemas_common import Upload
from petshots_records.presenters import present_pet, present_pet_detail


async def get_owned_pet(ctx: Ctx, pet_id: uuid.UUID, *, lock: bool = False) -> Pet:
    stmt = select(Pet).where(col(Pet.id) == pet_id, col(Pet.owner_id) == ctx.owner_id)
    if lock:
        stmt = stmt.with_for_update()
    pet = (await ctx.session.execute(stmt)).scalar_one_or_none()
    if pet is None:
        raise not_found("pet")
    return pet


async def list_pets(ctx: Ctx) -> list[schemas.Pet]:
    clock = await ctx.clock()
    pets = (
        (
            await ctx.session.execute(
                select(Pet)
                .where(col(Pet.owner_id) == ctx.owner_id)
                .order_by(col(Pet.created_at), col(Pet.id))
            )
        )
        .scalars()
        .all()
    )
    docs = (
        (
            await ctx.session.execute(
                select(Document).where(
                    col(Document.owner_id) == ctx.owner_id, col(Document.state) == "ready"
                )
            )
        )
        .scalars()
        .all()
    )
    by_pet: dict[uuid.UUID, list[Document]] = defaultdict(list)
    for doc in docs:
        by_pet[doc.pet_id].append(doc)
    ttl = ctx.settings.owner_download_ttl_s
    return [present_pet(p, by_pet[p.id], clock, ctx.storage, ttl) for p in pets]


async def get_pet(ctx: Ctx, pet_id: uuid.UUID) -> schemas.PetDetail:
    pet = await get_owned_pet(ctx, pet_id)
    clock = await ctx.clock()
    docs = (
        (
            await ctx.session.execute(
                select(Document)
                .where(col(Document.pet_id) == pet.id, col(Document.owner_id) == ctx.owner_id)
                .order_by(col(Document.created_at).desc(), col(Document.id))
            )
        )
        .scalars()
        .all()
    )
    return present_pet_detail(pet, docs, clock, ctx.storage, ctx.settings.owner_download_ttl_s)


async def read_pet(ctx: ReadCtx, pet_id: uuid.UUID) -> schemas.PetDetail:
    """``get_pet`` for ``GET /api/pets/{id}``: one statement on the read pool."""
    snapshot = await ctx.reads.pet(ctx.owner_id, pet_id)
    if not snapshot.pets:
        raise not_found("pet")
    pet, clock = snapshot.pets[0], ctx.clock(snapshot)
    docs = snapshot.docs[pet.id]  # newest first, as get_pet orders them
    return present_pet_detail(pet, docs, clock, ctx.storage, ctx.settings.owner_download_ttl_s)


async def create_pet(ctx: Ctx, data: schemas.PetCreate) -> schemas.Pet:
    await ctx.lock_owner()
    limit = ctx.settings.max_pets_per_owner
    count = (
        await ctx.session.execute(
            select(func.count()).select_from(Pet).where(col(Pet.owner_id) == ctx.owner_id)
        )
    ).scalar_one()
    if count >= limit:
        raise ApiError(409, "pet_limit", f"The free plan holds up to {limit} pets.", limit=limit)
    pet = Pet(
        owner_id=ctx.owner_id,
        name=data.name.strip() or data.name,
        species=data.species,
        breed=data.breed,
        birth_date=data.birth_date,
    )
    ctx.session.add(pet)
    await ctx.session.flush()
    clock = await ctx.clock()
    return present_pet(pet, [], clock, ctx.storage, ctx.settings.owner_download_ttl_s)


async def update_pet(ctx: Ctx, pet_id: uuid.UUID, data: schemas.PetUpdate) -> schemas.PetDetail:
    pet = await get_owned_pet(ctx, pet_id, lock=True)
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    for field, value in changes.items():
        setattr(pet, field, value)
    if changes:
        pet.updated_at = utcnow()
    await ctx.session.flush()
    return await get_pet(ctx, pet_id)


async def delete_pet(ctx: Ctx, pet_id: uuid.UUID) -> None:
    """Rows go first (in the transaction), then files; a storage failure rolls the rows back.

    A retry after a partial file deletion finishes the job: deleting a missing object is a
    no-op in S3.
    """
    pet = await get_owned_pet(ctx, pet_id, lock=True)
    keys = list(
        (
            await ctx.session.execute(
                select(col(Document.object_key)).where(
                    col(Document.pet_id) == pet.id, col(Document.owner_id) == ctx.owner_id
                )
            )
        ).scalars()
    )
    keys += [k for k in (pet.photo_key, pet.photo_upload_key) if k]
    await ctx.session.execute(delete(Pet).where(col(Pet.id) == pet.id))
    await ctx.session.flush()
    for key in keys:
        await ctx.storage.delete(key)


async def photo_upload(
    ctx: Ctx, pet_id: uuid.UUID, data: schemas.PhotoUploadRequest
) -> schemas.PhotoUpload:
    limit = ctx.settings.max_photo_bytes
    if data.size_bytes > limit:
        raise ApiError(
            422, "file_too_large", f"A pet photo may be up to {limit} bytes.", limit=limit
        )
    await ctx.storage.require_reachable()
    owner = await ctx.lock_owner()
    pet = await get_owned_pet(ctx, pet_id, lock=True)
    key = new_object_key(owner.storage_prefix, "photos")
    policy = ctx.storage.upload_policy(
        key,
        content_type=data.content_type,
        max_bytes=limit,
        expires_in=ctx.settings.upload_policy_ttl_s,
    )
    pet.photo_upload_key = key
    await ctx.session.flush()
    return schemas.PhotoUpload(
        upload=Upload(url=policy.url, fields=policy.fields, expires_in=policy.expires_in)
    )


async def photo_complete(ctx: Ctx, pet_id: uuid.UUID) -> schemas.PetDetail:
    pet = await get_owned_pet(ctx, pet_id, lock=True)
    key = pet.photo_upload_key
    if not key:
        raise ApiError(409, "not_uploaded", "No photo upload is in progress for this pet.")
    await ctx.storage.require_reachable()
    info = await ctx.storage.head(key)
    if info is None:
        raise ApiError(409, "not_uploaded", "The photo has not been uploaded yet.")
    head = await ctx.storage.read_prefix_bytes(key, SNIFF_BYTES)
    declared = info.content_type or ""
    if (
        declared not in ("image/jpeg", "image/png", "image/webp")
        or info.size > ctx.settings.max_photo_bytes
        or not content_matches(declared, head)
    ):
        await ctx.storage.delete(key)
        pet.photo_upload_key = None
        raise ApiError(422, "content_mismatch", "The photo is not a JPEG, PNG or WebP image.")
    # The photo is shown on passport pages: its EXIF (GPS) goes first.
    try:
        await strip_stored_image(ctx.storage, key, declared, ctx.settings.max_photo_bytes)
    except ValueError:  # UnreadableImage, or the object grew past the limit
        await ctx.storage.delete(key)
        raise ApiError(
            422, "content_mismatch", "The photo is not a JPEG, PNG or WebP image."
        ) from None
    old = pet.photo_key
    pet.photo_key, pet.photo_content_type, pet.photo_upload_key = key, declared, None
    pet.updated_at = utcnow()
    await ctx.session.flush()
    if old and old != key:
        await ctx.storage.delete(old)
    return await get_pet(ctx, pet_id)
