"""Litestar dependency providers for the records service."""

from __future__ import annotations

from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from petshots_core.access_tokens import AccessClaims
from petshots_records.context import Ctx, ReadCtx


def provide_ctx(
    claims: NamedDependency[AccessClaims], db_session: NamedDependency[AsyncSession], state: State
) -> Ctx:
    # The owner id comes from the verified token's `sub` and nowhere else.
    return Ctx(
        owner_id=claims.sub,
        session=db_session,
        storage=state.storage,
        settings=state.settings,
        now=state.clock(),
    )


def provide_read_ctx(claims: NamedDependency[AccessClaims], state: State) -> ReadCtx:
    """For the hot read paths (dashboard, pet page, Quick Show): no ORM session."""
    return ReadCtx(
        owner_id=claims.sub,
        reads=state.owner_reads,
        storage=state.storage,
        settings=state.settings,
        now=state.clock(),
    )
