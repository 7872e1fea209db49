"""Litestar dependency providers for the auth service."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from petshots_auth.context import AuthServices, OwnerCtx, PublicCtx
from petshots_core.access_tokens import AccessClaims
from petshots_core.web.client_address import client_address, rate_limit_key


def provide_public_ctx(
    db_session: NamedDependency[AsyncSession], state: State, request: Request[Any, Any, Any]
) -> PublicCtx:
    svc: AuthServices = state.auth
    peer = request.client.host if request.client else None
    header = svc.settings.client_address_header
    client = client_address(
        peer,
        request.headers.getall("x-forwarded-for", []),
        state.trusted_proxies,
        request.headers.get(header) if header else None,
    )
    return PublicCtx(svc=svc, db=db_session, address=rate_limit_key(client, peer))


def provide_owner_ctx(
    claims: NamedDependency[AccessClaims], db_session: NamedDependency[AsyncSession], state: State
) -> OwnerCtx:
    # The owner is the verified token's `sub` and nothing else.
    return OwnerCtx(svc=state.auth, db=db_session, claims=claims)
