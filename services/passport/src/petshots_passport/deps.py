"""Litestar dependency providers for the passport service."""

from __future__ import annotations

from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from petshots_core.access_tokens import AccessClaims
from petshots_passport.context import Ctx


def provide_ctx(
    claims: NamedDependency[AccessClaims], db_session: NamedDependency[AsyncSession], state: State
) -> Ctx:
    # The owner id comes from the verified token's `sub` and nowhere else.
    return Ctx(
        owner_id=claims.sub,
        session=db_session,
        settings=state.settings,
        sealer=state.sealer,
    )
