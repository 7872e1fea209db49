"""Dashboard and Quick Show: the owner's whole picture, and the one certificate for the door."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import TypeVar

from petshots_core.status import (
    attention_sort_key,
    days_to_expiry,
    needs_attention,
    pet_status,
    record_status,
)
from petshots_core.vaccines import is_rabies
from petshots_core.web.errors import ApiError, not_found
from petshots_records.context import ReadCtx
from petshots_records.domain.docs.services import file_url
from petshots_records.domain.overview import schemas
from petshots_records.domain.pets.schemas import Pet
from petshots_records.presenters import (
    DocumentFields,
    present_doc,
    present_pet,
    present_pet_as,
)

DocT = TypeVar("DocT", bound=DocumentFields)


async def dashboard(ctx: ReadCtx) -> schemas.Dashboard:
    summary = await ctx.reads.summary(ctx.owner_id)
    clock = ctx.clock(summary)
    today, window = clock.today, clock.due_soon_days
    ttl = ctx.settings.owner_download_ttl_s
    pets: list[Pet] = []
    attention: list[tuple[tuple[int, date], schemas.AttentionItem]] = []
    for pet in summary.pets:
        ready = summary.ready[pet.id]
        statuses = [record_status(doc.expires_on, today, window) for doc in ready]
        for doc, status in zip(ready, statuses, strict=True):
            if needs_attention(status):
                attention.append(
                    (
                        attention_sort_key(status, doc.expires_on),
                        schemas.AttentionItem(
                            pet_id=pet.id,
                            pet_name=pet.name,
                            doc_id=doc.id,
                            label=doc.label,
                            expires_on=doc.expires_on,
                            status=status.value,
                            days_to_expiry=days_to_expiry(doc.expires_on, today),
                        ),
                    )
                )
        pets.append(present_pet_as(pet, pet_status(statuses), len(ready), ctx.storage, ttl))
    attention.sort(key=lambda pair: pair[0])
    return schemas.Dashboard(
        pets=pets,
        attention=[item for _, item in attention],
        pet_limit=ctx.settings.max_pets_per_owner,
    )


def pick_quick_show(docs: Sequence[DocT]) -> DocT | None:
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


async def quick_show(ctx: ReadCtx, pet_id: uuid.UUID | None) -> schemas.QuickShow:
    snapshot = await ctx.reads.quick_show_candidates(ctx.owner_id, pet_id)
    if pet_id is not None and not snapshot.pets:
        raise not_found("pet")
    clock = ctx.clock(snapshot)
    ttl = ctx.settings.owner_download_ttl_s
    # Without a pet, the owner's first pet that has anything to show (the query picks it).
    for pet in snapshot.pets:
        docs = snapshot.docs[pet.id]
        doc = pick_quick_show(docs)
        if doc is None:
            continue
        await ctx.storage.require_reachable()  # the certificate's download link
        url = file_url(doc, ctx.storage, ttl)
        assert url is not None  # only ready records are candidates
        return schemas.QuickShow(
            pet=present_pet(pet, docs, clock, ctx.storage, ttl),
            doc=present_doc(doc, clock),
            file_url=url,
        )
    raise ApiError(404, "nothing_to_show", "There is no uploaded record to show yet.")
