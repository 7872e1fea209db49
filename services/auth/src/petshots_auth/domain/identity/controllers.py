from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED

from petshots_auth.context import AuthServices, PublicCtx
from petshots_auth.deps import provide_public_ctx
from petshots_auth.domain.identity import schemas, services
from petshots_core.web.auth import PUBLIC
from petshots_core.web.errors import not_found
from petshots_core.web.openapi import error_responses


class IdentityController(Controller):
    """Public identity operations (no access token): every one is throttled per address."""

    path = "/auth"
    tags = ["identity"]
    opt = PUBLIC
    dependencies = {"ctx": Provide(provide_public_ctx, sync_to_thread=False)}

    @get("/config", operation_id="getAuthConfig", cache=False)
    async def config(self, ctx: NamedDependency[PublicCtx]) -> schemas.PublicConfig:
        """What the browser needs: pool and client id for SRP, the CAPTCHA site key (null: none)."""
        return services.public_config(ctx)

    @post(
        "/signup",
        operation_id="signUp",
        responses=error_responses(400, 422, 429),
        status_code=HTTP_201_CREATED,
    )
    async def sign_up(
        self, ctx: NamedDependency[PublicCtx], data: JSONBody[schemas.SignUp]
    ) -> schemas.SignUpAccepted:
        """Create an account; a code is e-mailed. An existing address gets the same answer."""
        return await services.sign_up(ctx, data)

    @post(
        "/confirm",
        operation_id="confirmSignUp",
        responses=error_responses(400, 422, 429),
        status_code=HTTP_200_OK,
    )
    async def confirm(
        self, ctx: NamedDependency[PublicCtx], data: JSONBody[schemas.Confirm]
    ) -> schemas.Confirmed:
        """Confirm the e-mail address with the code from the e-mail."""
        return await services.confirm(ctx, data)

    @post(
        "/confirm/resend",
        operation_id="resendConfirmationCode",
        responses=error_responses(422, 429),
        status_code=HTTP_202_ACCEPTED,
    )
    async def resend(
        self, ctx: NamedDependency[PublicCtx], data: JSONBody[schemas.EmailOnly]
    ) -> schemas.Accepted:
        """Send a new confirmation code if an unconfirmed account has this address (always 202)."""
        return await services.resend_code(ctx, data)

    @post(
        "/login/start",
        operation_id="loginStart",
        responses=error_responses(400, 422, 429),
        status_code=HTTP_200_OK,
    )
    async def login_start(
        self, ctx: NamedDependency[PublicCtx], data: JSONBody[schemas.LoginStart]
    ) -> schemas.LoginChallenge:
        """SRP step 1 (Cognito USER_SRP_AUTH): send SRP_A, get the PASSWORD_VERIFIER challenge."""
        return await services.login_start(ctx, data)

    @post(
        "/login/finish",
        operation_id="loginFinish",
        responses=error_responses(401, 403, 422, 429),
        status_code=HTTP_200_OK,
    )
    async def login_finish(
        self, ctx: NamedDependency[PublicCtx], data: JSONBody[schemas.LoginFinish]
    ) -> schemas.Tokens:
        """SRP step 2: the password claim; tokens on success, 401 on a wrong password."""
        return await services.login_finish(ctx, data)

    @post(
        "/refresh",
        operation_id="refreshTokens",
        responses=error_responses(401),
        status_code=HTTP_200_OK,
    )
    async def refresh(
        self, ctx: NamedDependency[PublicCtx], data: JSONBody[schemas.Refresh]
    ) -> schemas.RefreshedTokens:
        """New access and id tokens for a live refresh token."""
        return await services.refresh(ctx, data)

    @post(
        "/forgot-password",
        operation_id="forgotPassword",
        responses=error_responses(429),
        status_code=HTTP_202_ACCEPTED,
    )
    async def forgot_password(
        self, ctx: NamedDependency[PublicCtx], data: JSONBody[schemas.EmailOnly]
    ) -> schemas.Accepted:
        """E-mail a reset code if an account has this address; always 202."""
        return await services.forgot_password(ctx, data)

    @post(
        "/reset-password",
        operation_id="resetPassword",
        responses=error_responses(400, 422, 429),
        status_code=HTTP_200_OK,
    )
    async def reset_password(
        self, ctx: NamedDependency[PublicCtx], data: JSONBody[schemas.ResetPassword]
    ) -> schemas.PasswordReset:
        """Set a new password with the code from the reset e-mail; ends every session."""
        return await services.reset_password(ctx, data)


class JwksController(Controller):
    path = "/auth/.well-known"
    tags = ["identity"]
    opt = PUBLIC

    @get(
        "/jwks.json",
        operation_id="getJwks",
        responses=error_responses(404),
        media_type=MediaType.JSON,
    )
    async def jwks(self, state: State) -> Response[dict[str, Any]]:
        """The local provider's public signing keys (active first, then the previous one)."""
        svc: AuthServices = state.auth
        if svc.keyset is None:
            raise not_found("key set")  # with Cognito, services use the pool's JWKS
        return Response(svc.keyset.jwks(), headers={"Cache-Control": "public, max-age=300"})
