"""Record rules: create = pending row + upload policy; complete = the file is really there."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import msgspec
import structlog
from sqlalchemy import delete, func, select, update
from sqlmodel import col

from petshots_core.filetypes import SNIFF_BYTES, content_matches
from petshots_core.images import IMAGE_TYPES, strip_stored_image
from petshots_core.models import Document, DocumentState, utcnow
from petshots_core.storage import Storage, new_object_key
from petshots_core.web.errors import ApiError, not_found
from petshots_records.context import Ctx
from petshots_records.domain.docs import schemas
from petshots_records.domain.pets.services import get_owned_pet
from petshots_records.domain.schemas_common import Upload
from petshots_records.presenters import DocumentFields, present_doc

log = structlog.get_logger(__name__)

# Certificates are issued for years, not centuries; anything outside this is a typo.
EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)


def _check_dates(expires_on: date | None, given_on: date | None) -> None:
    for name, value in (("expires_on", expires_on), ("given_on", given_on)):
        if value is not None and not EARLIEST <= value <= LATEST:
            raise ApiError(422, "invalid_date", f"{name} must be between {EARLIEST} and {LATEST}.")
    if given_on and given_on > date.today() + timedelta(days=1):  # noqa: DTZ011 - a bound, not a status
        raise ApiError(422, "invalid_date", "given_on cannot be in the future.")
    if expires_on and given_on and expires_on < given_on:
        raise ApiError(422, "invalid_date", "expires_on cannot be before given_on.")


async def get_owned_doc(ctx: Ctx, doc_id: uuid.UUID, *, lock: bool = False) -> Document:
    stmt = select(Document).where(
        col(Document.id) == doc_id, col(Document.owner_id) == ctx.owner_id
    )
    if lock:
        stmt = stmt.with_for_update()
    doc = (await ctx.session.execute(stmt)).scalar_one_or_none()
    if doc is None:
        raise not_found("record")
    return doc


def file_url(doc: DocumentFields, storage: Storage, ttl: int) -> str | None:
    if doc.state != DocumentState.READY:
        return None
    return storage.download_url(
        doc.object_key, filename=doc.filename, content_type=doc.content_type, expires_in=ttl
    )


async def create_doc(ctx: Ctx, pet_id: uuid.UUID, data: schemas.DocCreate) -> schemas.DocCreated:
    limit_bytes = ctx.settings.max_doc_bytes
    if data.size_bytes > limit_bytes:
        raise ApiError(
            422,
            "file_too_large",
            f"A record file may be up to {limit_bytes} bytes.",
            limit=limit_bytes,
        )
    _check_dates(data.expires_on, data.given_on)
    # The policy is signed locally; without a reachable bucket it would be of no use.
    await ctx.storage.require_reachable()
    owner = await ctx.lock_owner()
    # The pet row lock serialises parallel creates for the same pet against the limit.
    pet = await get_owned_pet(ctx, pet_id, lock=True)
    limit = ctx.settings.max_docs_per_pet
    count = (
        await ctx.session.execute(
            select(func.count()).select_from(Document).where(col(Document.pet_id) == pet.id)
        )
    ).scalar_one()
    if count >= limit:
        raise ApiError(409, "document_limit", f"A pet holds up to {limit} records.", limit=limit)
    doc = Document(
        owner_id=ctx.owner_id,
        pet_id=pet.id,
        label=data.label.strip() or data.label,
        expires_on=data.expires_on,
        given_on=data.given_on,
        filename=data.filename,
        content_type=data.content_type,
        size_bytes=data.size_bytes,
        object_key=new_object_key(owner.storage_prefix, "docs"),
    )
    ctx.session.add(doc)
    await ctx.session.flush()
    policy = ctx.storage.upload_policy(
        doc.object_key,
        content_type=data.content_type,
        max_bytes=limit_bytes,
        expires_in=ctx.settings.upload_policy_ttl_s,
    )
    clock = await ctx.clock()
    return schemas.DocCreated(
        doc=present_doc(doc, clock),
        upload=Upload(url=policy.url, fields=policy.fields, expires_in=policy.expires_in),
    )


async def complete_doc(ctx: Ctx, doc_id: uuid.UUID) -> schemas.DocDetail:
    doc = await get_owned_doc(ctx, doc_id, lock=True)
    if doc.state == DocumentState.PENDING:
        await ctx.storage.require_reachable()
        info = await ctx.storage.head(doc.object_key)
        if info is None:
            raise ApiError(409, "not_uploaded", "The file has not been uploaded yet.")
        head = await ctx.storage.read_prefix_bytes(doc.object_key, SNIFF_BYTES)
        if (
            info.size > ctx.settings.max_doc_bytes
            or (info.content_type or "") != doc.content_type
            or not content_matches(doc.content_type, head)
        ):
            # The bytes are not what was declared: remove them, keep the record pending so
            # the owner can upload the right file with a fresh policy.
            await ctx.storage.delete(doc.object_key)
            log.info("upload_rejected", doc_id=str(doc.id), reason="content_mismatch")
            raise ApiError(
                422, "content_mismatch", f"The uploaded file is not a valid {doc.content_type}."
            )
        size = info.size
        if doc.content_type in IMAGE_TYPES:
            # EXIF (GPS: where the photo was taken) goes before anyone else can fetch it.
            try:
                stripped = await strip_stored_image(
                    ctx.storage, doc.object_key, doc.content_type, ctx.settings.max_doc_bytes
                )
            except ValueError:  # UnreadableImage, or the object grew past the limit
                await ctx.storage.delete(doc.object_key)
                log.info("upload_rejected", doc_id=str(doc.id), reason="unreadable_image")
                raise ApiError(
                    422, "content_mismatch", f"The uploaded file is not a valid {doc.content_type}."
                ) from None
            size = stripped or size
        doc.size_bytes = size
        doc.state = DocumentState.READY.value
        doc.completed_at = doc.updated_at = utcnow()
        await ctx.session.flush()
    return await _detail(ctx, doc)


async def get_doc(ctx: Ctx, doc_id: uuid.UUID) -> schemas.DocDetail:
    doc = await get_owned_doc(ctx, doc_id)
    if doc.state == DocumentState.READY:
        await ctx.storage.require_reachable()  # its file_url is the download
    return await _detail(ctx, doc)


async def _detail(ctx: Ctx, doc: Document) -> schemas.DocDetail:
    clock = await ctx.clock()
    return schemas.DocDetail(
        **msgspec.structs.asdict(present_doc(doc, clock)),
        file_url=file_url(doc, ctx.storage, ctx.settings.owner_download_ttl_s),
    )


async def update_doc(ctx: Ctx, doc_id: uuid.UUID, data: schemas.DocUpdate) -> schemas.DocDetail:
    doc = await get_owned_doc(ctx, doc_id, lock=True)
    expires_on = doc.expires_on if data.expires_on is msgspec.UNSET else data.expires_on
    given_on = doc.given_on if data.given_on is msgspec.UNSET else data.given_on
    _check_dates(expires_on, given_on)
    if data.pinned is True:
        if doc.state != DocumentState.READY:
            raise ApiError(409, "not_ready", "Only an uploaded record can be pinned.")
        # One pinned record per pet (a partial unique index backs this up).
        await ctx.session.execute(
            update(Document)
            .where(
                col(Document.pet_id) == doc.pet_id, col(Document.id) != doc.id, col(Document.pinned)
            )
            .values(pinned=False)
        )
    changed = False
    if data.label is not msgspec.UNSET:
        doc.label, changed = data.label.strip() or data.label, True
    if data.expires_on is not msgspec.UNSET or data.given_on is not msgspec.UNSET:
        doc.expires_on, doc.given_on, changed = expires_on, given_on, True
    if data.pinned is not msgspec.UNSET:
        doc.pinned, changed = data.pinned, True
    if changed:
        doc.updated_at = utcnow()
    await ctx.session.flush()
    return await _detail(ctx, doc)


async def delete_doc(ctx: Ctx, doc_id: uuid.UUID) -> None:
    doc = await get_owned_doc(ctx, doc_id, lock=True)
    await ctx.session.execute(delete(Document).where(col(Document.id) == doc.id))
    await ctx.session.flush()
    await ctx.storage.delete(doc.object_key)
