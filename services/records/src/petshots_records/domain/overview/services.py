"""Dashboard and Quick Show: the owner's whole picture, and the one certificate for the door."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlmodel import col

from petshots_core.models import Document, Pet
from petshots_core.status import attention_sort_key, needs_attention
from petshots_core.vaccines import is_rabies
from petshots_core.web.errors import ApiError
from petshots_records.context import Ctx
from petshots_records.domain.docs.services import file_url
from petshots_records.domain.overview import schemas
from petshots_records.domain.pets.services import get_owned_pet
from petshots_records.presenters import doc_status, present_doc, present_pet


async def _pets_and_ready_docs(
    ctx: Ctx, pet_id: uuid.UUID | None = None
) -> tuple[list[Pet], dict[uuid.UUID, list[Document]]]:
    pet_stmt = select(Pet).where(col(Pet.owner_id) == ctx.owner_id)
    doc_stmt = select(Document).where(
        col(Document.owner_id) == ctx.owner_id, col(Document.state) == "ready"
    )
    if pet_id is not None:
        pet_stmt = pet_stmt.where(col(Pet.id) == pet_id)
        doc_stmt = doc_stmt.where(col(Document.pet_id) == pet_id)
    pets = list(
        (await ctx.session.execute(pet_stmt.order_by(col(Pet.created_at), col(Pet.id))))
        .scalars()
        .all()
    )
    by_pet: dict[uuid.UUID, list[Document]] = defaultdict(list)
    for doc in (await ctx.session.execute(doc_stmt)).scalars().all():
        by_pet[doc.pet_id].append(doc)
    return pets, by_pet


async def dashboard(ctx: Ctx) -> schemas.Dashboard:
    clock = await ctx.clock()
    pets, by_pet = await _pets_and_ready_docs(ctx)
    ttl = ctx.settings.owner_download_ttl_s
    attention: list[tuple[tuple[int, date], schemas.AttentionItem]] = []
    for pet in pets:
        for doc in by_pet[pet.id]:
            status = doc_status(doc, clock)
            if needs_attention(status):
                item = present_doc(doc, clock)
                attention.append(
                    (
                        attention_sort_key(status, doc.expires_on),
                        schemas.AttentionItem(
                            pet_id=pet.id,
                            pet_name=pet.name,
                            doc_id=doc.id,
                            label=doc.label,
                            expires_on=doc.expires_on,
                            status=item.status,
                            days_to_expiry=item.days_to_expiry,
                        ),
                    )
                )
    attention.sort(key=lambda pair: pair[0])
    return schemas.Dashboard(
        pets=[present_pet(p, by_pet[p.id], clock, ctx.storage, ttl) for p in pets],
        attention=[item for _, item in attention],
        pet_limit=ctx.settings.max_pets_per_owner,
    )


def pick_quick_show(docs: list[Document]) -> Document | None:
    """SPEC §3.1: the pinned record; else the Rabies record with the latest expiry; else the
    most recent record."""
    if not docs:
        return None
    pinned = [d for d in docs if d.pinned]
    if pinned:
        return pinned[0]
    rabies = [d for d in docs if is_rabies(d.label)]
    if rabies:
        # A dated certificate proves more at the door than one without an expiry.
        return max(
            rabies, key=lambda d: (d.expires_on is not None, d.expires_on or date.min, d.created_at)
        )
    return max(docs, key=lambda d: (d.created_at, d.id))


async def quick_show(ctx: Ctx, pet_id: uuid.UUID | None) -> schemas.QuickShow:
    if pet_id is not None:
        await get_owned_pet(ctx, pet_id)
    clock = await ctx.clock()
    pets, by_pet = await _pets_and_ready_docs(ctx, pet_id)
    # Without a pet, the owner's first pet that has anything to show.
    for pet in pets:
        doc = pick_quick_show(by_pet[pet.id])
        if doc is None:
            continue
        url = file_url(doc, ctx.storage, ctx.settings.owner_download_ttl_s)
        assert url is not None  # only ready records are candidates
        return schemas.QuickShow(
            pet=present_pet(
                pet, by_pet[pet.id], clock, ctx.storage, ctx.settings.owner_download_ttl_s
            ),
            doc=present_doc(doc, clock),
            file_url=url,
        )
    raise ApiError(404, "nothing_to_show", "There is no uploaded record to show yet.")
