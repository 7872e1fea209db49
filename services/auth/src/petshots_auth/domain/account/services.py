"""The owner's account: profile, reminder settings, logout, and deletion of everything."""

from __future__ import annotations

import structlog
from redis.exceptions import RedisError
from sqlalchemy import select, text
from sqlmodel import col

from petshots_auth.context import OwnerCtx
from petshots_auth.domain.account import schemas
from petshots_auth.errors import translated
from petshots_auth.owners import ensure_owner
from petshots_core.models import DEFAULT_THRESHOLDS, Owner
from petshots_core.owner_purge import enqueue_owner_purge
from petshots_core.status import is_valid_timezone
from petshots_core.web.errors import ApiError

log = structlog.get_logger(__name__)

MAX_THRESHOLDS = 6
MAX_DAYS = 365


async def me(ctx: OwnerCtx) -> schemas.Me:
    email, verified = await ctx.svc.backend.email_of(ctx.db, ctx.sub)
    return schemas.Me(
        sub=ctx.sub,
        email=email,
        email_verified=verified,
        identity_provider=ctx.svc.backend.name,
    )


async def get_settings(ctx: OwnerCtx) -> schemas.OwnerSettings:
    owner = await ctx.db.get(Owner, ctx.sub)
    if owner is None:  # reading changes nothing: the defaults a new owner gets
        return schemas.OwnerSettings(
            reminders_enabled=True,
            reminder_thresholds_days=list(DEFAULT_THRESHOLDS),
            timezone="UTC",
            due_soon_days=ctx.svc.settings.due_soon_days_default,
        )
    return _present(owner)


def _present(owner: Owner) -> schemas.OwnerSettings:
    return schemas.OwnerSettings(
        reminders_enabled=owner.reminders_enabled,
        reminder_thresholds_days=sorted(owner.reminder_thresholds_days, reverse=True),
        timezone=owner.timezone,
        due_soon_days=owner.due_soon_days,
    )


def validate_settings(data: schemas.OwnerSettings) -> None:
    """Every rule, before anything is written (422 with the first problem)."""
    thresholds = data.reminder_thresholds_days
    if not 1 <= len(thresholds) <= MAX_THRESHOLDS:
        raise ApiError(
            422, "invalid_thresholds", f"Give between 1 and {MAX_THRESHOLDS} reminder thresholds."
        )
    if any(not 0 <= t <= MAX_DAYS for t in thresholds):
        raise ApiError(
            422, "invalid_thresholds", f"Reminder thresholds are whole days from 0 to {MAX_DAYS}."
        )
    if len(set(thresholds)) != len(thresholds):
        raise ApiError(422, "invalid_thresholds", "Reminder thresholds must be distinct.")
    if not is_valid_timezone(data.timezone):
        raise ApiError(422, "invalid_timezone", "Unknown time zone; use an IANA name.")
    if not 0 <= data.due_soon_days <= MAX_DAYS:
        raise ApiError(422, "invalid_due_soon_days", f"due_soon_days must be from 0 to {MAX_DAYS}.")


async def put_settings(ctx: OwnerCtx, data: schemas.OwnerSettings) -> schemas.OwnerSettings:
    validate_settings(data)
    email, _ = await ctx.svc.backend.email_of(ctx.db, ctx.sub)
    if not await ensure_owner(ctx.db, ctx.sub, email, ctx.svc.settings.due_soon_days_default):
        raise ApiError(401, "unauthorized", "A valid access token is required.")
    owner = (
        await ctx.db.execute(select(Owner).where(col(Owner.id) == ctx.sub).with_for_update())
    ).scalar_one()
    owner.reminders_enabled = data.reminders_enabled
    owner.reminder_thresholds_days = sorted(set(data.reminder_thresholds_days), reverse=True)
    owner.timezone = data.timezone
    owner.due_soon_days = data.due_soon_days
    await ctx.db.flush()
    return _present(owner)


async def logout(ctx: OwnerCtx, data: schemas.Logout) -> None:
    """Revoke the refresh token (and its login's other tokens) if it is this owner's."""
    with translated():
        await ctx.svc.backend.revoke(ctx.db, data.refresh_token, ctx.sub)


async def delete_account(ctx: OwnerCtx) -> None:
    """Identity first, then every row (one transaction), then the files through a queued job.

    After the commit the subject is on the deny list, so every service refuses the owner's
    still-unexpired access tokens at once; ``deleted_subjects`` keeps a late write from
    re-creating the owner.
    """
    svc, sub = ctx.svc, ctx.sub
    with translated():
        await svc.backend.delete_identity(ctx.db, sub)
    prefix = (
        await ctx.db.execute(
            text("SELECT storage_prefix FROM owners WHERE id = :id FOR UPDATE"), {"id": sub}
        )
    ).scalar_one_or_none()
    await ctx.db.execute(
        text("INSERT INTO deleted_subjects (sub) VALUES (:id) ON CONFLICT DO NOTHING"),
        {"id": sub},
    )
    if prefix is not None:
        await ctx.db.execute(
            text("INSERT INTO object_purges (storage_prefix) VALUES (:p) ON CONFLICT DO NOTHING"),
            {"p": prefix},
        )
        # Pets, records, passports, views, refresh tokens, the local identity: all cascade.
        await ctx.db.execute(text("DELETE FROM owners WHERE id = :id"), {"id": sub})
    await ctx.db.commit()
    ttl = svc.settings.access_token_ttl_s + svc.settings.token_leeway_s + 60
    try:
        await svc.denylist.deny(sub, ttl)
    except (RedisError, OSError) as exc:
        log.error("denylist_write_failed", error=type(exc).__name__)
    if prefix is not None:
        try:
            await enqueue_owner_purge(svc.jobs, prefix, queue_name=svc.settings.jobs_queue_name)
        except (RedisError, OSError) as exc:
            # The outbox row stays; the worker's sweep queues the purge again.
            log.error("owner_purge_enqueue_failed", error=type(exc).__name__)
    log.info("account_deleted", sub=str(sub))
