"""Owner rows and refresh-token rows, shared by both backends."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from petshots_auth.tokens import hash_refresh_token
from petshots_core.models import RefreshToken, new_storage_prefix, utcnow


async def ensure_owner(db: AsyncSession, sub: uuid.UUID, email: str | None, due: int) -> bool:
    """Create the owner row (or refresh its e-mail); False if the subject was deleted."""
    row = (
        await db.execute(
            text(
                "INSERT INTO owners (id, email, storage_prefix, due_soon_days)"
                " SELECT :id, :email, :prefix, :due"
                " WHERE NOT EXISTS (SELECT 1 FROM deleted_subjects WHERE sub = :id)"
                " ON CONFLICT (id) DO UPDATE SET email = COALESCE(EXCLUDED.email, owners.email)"
                " RETURNING id"
            ),
            {"id": sub, "email": email, "prefix": new_storage_prefix(), "due": due},
        )
    ).first()
    return row is not None


async def store_refresh_token(
    db: AsyncSession,
    token: str,
    *,
    sub: uuid.UUID,
    origin_jti: str,
    auth_time: datetime,
    ttl: timedelta,
) -> None:
    db.add(
        RefreshToken(
            token_hash=hash_refresh_token(token),
            sub=sub,
            origin_jti=origin_jti[:64],
            auth_time=auth_time,
            expires_at=utcnow() + ttl,
        )
    )
    await db.flush()


async def live_refresh_token(db: AsyncSession, token: str) -> RefreshToken | None:
    """The row of an unrevoked, unexpired refresh token, locked for this transaction."""
    return (
        await db.execute(
            select(RefreshToken)
            .where(
                col(RefreshToken.token_hash) == hash_refresh_token(token),
                col(RefreshToken.revoked_at).is_(None),
                col(RefreshToken.expires_at) > utcnow(),
            )
            .with_for_update()
        )
    ).scalar_one_or_none()


async def revoke_refresh_token(db: AsyncSession, token: str, sub: uuid.UUID) -> bool:
    """Revoke the token and everything from the same login (its ``origin_jti``)."""
    row = (
        await db.execute(
            text(
                "UPDATE refresh_tokens SET revoked_at = now()"
                " WHERE sub = :sub AND revoked_at IS NULL AND origin_jti = ("
                "   SELECT origin_jti FROM refresh_tokens WHERE token_hash = :h AND sub = :sub)"
                " RETURNING token_hash"
            ),
            {"h": hash_refresh_token(token), "sub": sub},
        )
    ).first()
    return row is not None


async def revoke_all_refresh_tokens(db: AsyncSession, sub: uuid.UUID) -> None:
    await db.execute(
        update(RefreshToken)
        .where(col(RefreshToken.sub) == sub, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
