"""Bearer-token authentication for owner routes; every route needs it unless opted out.

Routes opt out with ``opt={"public": True}`` — secure by default, so a new handler that forgets
about auth is closed, not open.
"""

from __future__ import annotations

from typing import Any

import structlog
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.base import DefineMiddleware

from petshots_core.access_tokens import AccessClaims, AccessTokenVerifier, InvalidToken
from petshots_core.revocation import SubjectDenylist

log = structlog.get_logger(__name__)

PUBLIC = {"public": True}
_OPS_PATHS = ["^/healthz$", "^/readyz$", "^/metrics$", r"^/.*openapi\.json$"]


class BearerAuthMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthorizedException()
        verifier: AccessTokenVerifier = connection.app.state.verifier
        try:
            claims = await verifier.verify(token.strip())
        except InvalidToken as exc:
            log.info("token_rejected", reason=exc.reason)
            raise NotAuthorizedException() from exc
        denylist: SubjectDenylist | None = connection.app.state.get("denylist")
        if denylist is not None and await denylist.is_denied(claims.sub):
            log.info("token_rejected", reason="subject deleted")
            raise NotAuthorizedException()
        return AuthenticationResult(user=claims, auth=None)


def bearer_auth_middleware() -> DefineMiddleware:
    return DefineMiddleware(
        BearerAuthMiddleware, exclude=_OPS_PATHS, exclude_from_auth_key="public"
    )


def current_claims(request: Request[Any, Any, Any]) -> AccessClaims:
    user = request.user
    if not isinstance(user, AccessClaims):  # only reachable if a public route asks for it
        raise NotAuthorizedException()
    return user
