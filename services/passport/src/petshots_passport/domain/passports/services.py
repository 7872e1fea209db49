"""Passport rules for the owner: create for one of your pets, list, revoke, QR, view log.

Every query is scoped by the owner id from the token; another owner's passport or pet is
"not found", exactly like a missing one.
"""

from __future__ import annotations

import io
import uuid
from datetime import datetime, timedelta
from typing import Literal

import segno
import structlog
from sqlalchemy import func, select
from sqlmodel import col

from petshots_core.models import Passport, PassportView, Pet, utcnow
from petshots_core.web.errors import ApiError, not_found
from petshots_passport.context import Ctx
from petshots_passport.domain.passports import schemas
from petshots_passport.tokens import SealError, new_token, token_hash

log = structlog.get_logger(__name__)

PREVIEW = "link_preview"


def passport_state(row: Passport, now: datetime) -> schemas.PassportState:
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    return "active"


def _url(ctx: Ctx, row: Passport) -> str | None:
    """The passport's public URL, or None if its sealed token no longer opens.

    Public lookup goes by the token's hash, so the link itself keeps working after a sealing
    key is replaced; only showing it to the owner again needs the old key.
    """
    try:
        return ctx.passport_url(ctx.sealer.open(row.token_sealed, row.id))
    except SealError:
        log.warning("passport_seal_unreadable", passport_id=str(row.id))
        return None


def _present(
    ctx: Ctx,
    row: Passport,
    now: datetime,
    *,
    facility_views: int = 0,
    link_previews: int = 0,
    last_viewed_at: datetime | None = None,
) -> schemas.Passport:
    state = passport_state(row, now)
    url = None if state == "revoked" else _url(ctx, row)
    return schemas.Passport(
        id=row.id,
        pet_id=row.pet_id,
        label=row.label,
        state=state,
        url=url,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        facility_views=facility_views,
        link_previews=link_previews,
        last_viewed_at=last_viewed_at,
    )


async def get_owned_passport(ctx: Ctx, passport_id: uuid.UUID, *, lock: bool = False) -> Passport:
    stmt = select(Passport).where(
        col(Passport.id) == passport_id, col(Passport.owner_id) == ctx.owner_id
    )
    if lock:
        stmt = stmt.with_for_update()
    row = (await ctx.session.execute(stmt)).scalar_one_or_none()
    if row is None:
        raise not_found("passport")
    return row


async def _passports(
    ctx: Ctx, *, pet_id: uuid.UUID | None = None, passport_id: uuid.UUID | None = None
) -> list[schemas.Passport]:
    is_preview = col(PassportView.agent_class) == PREVIEW
    counts = (
        select(
            col(PassportView.passport_id).label("passport_id"),
            func.count().filter(~is_preview).label("facility_views"),
            func.count().filter(is_preview).label("link_previews"),
            func.max(col(PassportView.viewed_at)).filter(~is_preview).label("last_viewed_at"),
        )
        .join(Passport, col(Passport.id) == col(PassportView.passport_id))
        .where(col(Passport.owner_id) == ctx.owner_id)
        .group_by(col(PassportView.passport_id))
        .subquery()
    )
    stmt = (
        select(Passport, counts.c.facility_views, counts.c.link_previews, counts.c.last_viewed_at)
        .outerjoin(counts, counts.c.passport_id == col(Passport.id))
        .where(col(Passport.owner_id) == ctx.owner_id)
        .order_by(col(Passport.created_at).desc(), col(Passport.id))
    )
    if pet_id is not None:
        stmt = stmt.where(col(Passport.pet_id) == pet_id)
    if passport_id is not None:
        stmt = stmt.where(col(Passport.id) == passport_id)
    now = utcnow()
    return [
        _present(
            ctx,
            row,
            now,
            facility_views=facility or 0,
            link_previews=previews or 0,
            last_viewed_at=last,
        )
        for row, facility, previews, last in (await ctx.session.execute(stmt)).all()
    ]


async def list_passports(ctx: Ctx, pet_id: uuid.UUID | None) -> list[schemas.Passport]:
    return await _passports(ctx, pet_id=pet_id)


async def get_passport(ctx: Ctx, passport_id: uuid.UUID) -> schemas.Passport:
    found = await _passports(ctx, passport_id=passport_id)
    if not found:
        raise not_found("passport")
    return found[0]


async def create_passport(ctx: Ctx, data: schemas.PassportCreate) -> schemas.Passport:
    # The pet row, locked: concurrent creations for one pet count one after another.
    pet = (
        await ctx.session.execute(
            select(col(Pet.id))
            .where(col(Pet.id) == data.pet_id, col(Pet.owner_id) == ctx.owner_id)
            .with_for_update()
        )
    ).scalar_one_or_none()
    if pet is None:
        raise not_found("pet")
    now = utcnow()
    active = (
        await ctx.session.execute(
            select(func.count())
            .select_from(Passport)
            .where(
                col(Passport.pet_id) == data.pet_id,
                col(Passport.owner_id) == ctx.owner_id,
                col(Passport.revoked_at).is_(None),
                (col(Passport.expires_at).is_(None)) | (col(Passport.expires_at) > now),
            )
        )
    ).scalar_one()
    limit = ctx.settings.passport_max_active_per_pet
    if active >= limit:
        raise ApiError(
            409,
            "passport_limit",
            f"A pet may have up to {limit} active passports; revoke one first.",
            limit=limit,
        )
    token = new_token()
    passport_id = uuid.uuid4()
    row = Passport(
        id=passport_id,
        owner_id=ctx.owner_id,
        pet_id=data.pet_id,
        label=data.label.strip() or data.label,
        token_hash=token_hash(token),
        token_sealed=ctx.sealer.seal(token, passport_id),
        created_at=now,
        expires_at=now + timedelta(days=data.expires_in_days) if data.expires_in_days else None,
    )
    ctx.session.add(row)
    await ctx.session.flush()
    return _present(ctx, row, now)


async def revoke_passport(ctx: Ctx, passport_id: uuid.UUID) -> None:
    """Takes effect on the next request: public pages are never cached. Idempotent."""
    row = await get_owned_passport(ctx, passport_id, lock=True)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        await ctx.session.flush()


async def passport_qr(ctx: Ctx, passport_id: uuid.UUID, kind: Literal["svg", "png"]) -> bytes:
    row = await get_owned_passport(ctx, passport_id)
    state = passport_state(row, utcnow())
    if state != "active":
        raise ApiError(410, state, f"This passport is {state}; create a new one to share.")
    url = _url(ctx, row)
    if url is None:
        raise ApiError(
            409, "link_unavailable", "This passport's link cannot be shown again; create a new one."
        )
    # Error correction M: survives a scuffed phone screen, still a small symbol.
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    if kind == "svg":
        code.save(out, kind="svg", scale=8, border=4, xmldecl=False, svgclass=None, lineclass=None)
    else:
        code.save(out, kind="png", scale=8, border=4)
    return out.getvalue()


async def list_views(ctx: Ctx, passport_id: uuid.UUID, limit: int) -> schemas.PassportViews:
    await get_owned_passport(ctx, passport_id)
    is_preview = col(PassportView.agent_class) == PREVIEW
    facility, previews = (
        await ctx.session.execute(
            select(func.count().filter(~is_preview), func.count().filter(is_preview)).where(
                col(PassportView.passport_id) == passport_id
            )
        )
    ).one()
    rows = (
        (
            await ctx.session.execute(
                select(PassportView)
                .where(col(PassportView.passport_id) == passport_id)
                .order_by(col(PassportView.viewed_at).desc(), col(PassportView.id).desc())
                .limit(limit)
            )
        )
        .scalars()
        .all()
    )
    return schemas.PassportViews(
        passport_id=passport_id,
        facility_views=facility,
        link_previews=previews,
        views=[
            schemas.PassportView(
                viewed_at=v.viewed_at,
                agent_class=v.agent_class,  # type: ignore[arg-type]  # constrained by a CHECK
                device=v.device,  # type: ignore[arg-type]
                network=v.network,
            )
            for v in rows
        ],
    )
