from __future__ import annotations

from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from petshots_auth.context import OwnerCtx
from petshots_auth.deps import provide_owner_ctx
from petshots_auth.domain.account import schemas, services
from petshots_core.access_tokens import AccessClaims
from petshots_core.web.openapi import error_responses


class AccountController(Controller):
    """The owner's own account; every route needs a valid access token."""

    path = "/auth"
    tags = ["account"]
    dependencies = {"ctx": Provide(provide_owner_ctx, sync_to_thread=False)}

    @get("/verify", operation_id="verifyAccessToken", cache=False)
    async def verify(self, claims: NamedDependency[AccessClaims]) -> Response[None]:
        """Forward auth for the edge: 200 with `X-Petshots-User: <sub>`, or 401."""
        return Response(
            None,
            status_code=HTTP_200_OK,
            headers={"X-Petshots-User": str(claims.sub), "Cache-Control": "no-store"},
        )

    @get("/me", operation_id="getMe", cache=False)
    async def me(self, ctx: NamedDependency[OwnerCtx]) -> schemas.Me:
        """Who the token belongs to."""
        return await services.me(ctx)

    @get("/me/settings", operation_id="getMySettings", cache=False)
    async def get_settings(self, ctx: NamedDependency[OwnerCtx]) -> schemas.OwnerSettings:
        """Reminder settings, time zone and due-soon window."""
        return await services.get_settings(ctx)

    @put("/me/settings", operation_id="putMySettings", responses=error_responses(422))
    async def put_settings(
        self, ctx: NamedDependency[OwnerCtx], data: JSONBody[schemas.OwnerSettings]
    ) -> schemas.OwnerSettings:
        """Replace the settings; 422 and nothing written if any value is out of bounds."""
        return await services.put_settings(ctx, data)

    @post("/logout", operation_id="logout", status_code=HTTP_204_NO_CONTENT)
    async def logout(self, ctx: NamedDependency[OwnerCtx], data: JSONBody[schemas.Logout]) -> None:
        """Revoke the refresh token; it no longer refreshes."""
        await services.logout(ctx, data)

    @delete("/me", operation_id="deleteMe", status_code=HTTP_204_NO_CONTENT)
    async def delete_me(self, ctx: NamedDependency[OwnerCtx]) -> None:
        """Delete the account: identity, every row and every stored object of the owner."""
        await services.delete_account(ctx)
