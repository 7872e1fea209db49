"""Amazon Cognito as the identity provider, through the auth service only.

The User Pool's only app client has a secret, and only this service holds it: every
unauthenticated Cognito call (SignUp, InitiateAuth, ...) needs a SECRET_HASH derived from it,
so nobody can call Cognito directly and skip the CAPTCHA that guards our /auth/signup.

The SRP exchange is relayed: the browser computes SRP_A and the password claim itself, this
service adds the SECRET_HASH and passes the values through, and the password never reaches it
at login. Unknown and unconfirmed accounts at /login/start get the same decoy challenge as in
the local provider, so the answer does not reveal whether an account exists.

Refresh tokens: Cognito issues them; this service also records their hash so that logout and
account deletion are enforced here even if Cognito's RevokeToken cannot be reached, and so it
knows whose token it is (REFRESH_TOKEN_AUTH's SECRET_HASH is keyed by the user name).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import anyio.to_thread
import structlog
from botocore.exceptions import BotoCoreError, ClientError  # light: no boto3, no HTTP stack
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from petshots_auth import srp
from petshots_auth.backends.base import (
    AuthTokens,
    InvalidCode,
    InvalidRefreshToken,
    LoginChallenge,
    NotConfirmed,
    ProviderThrottled,
    ProviderUnavailable,
    SignUpOutcome,
    WeakPassword,
    WrongCredentials,
)
from petshots_auth.login_session import (
    InvalidLoginSession,
    LoginSession,
    LoginSessionSealer,
    block_binding,
)
from petshots_auth.owners import (
    ensure_owner,
    live_refresh_token,
    revoke_refresh_token,
    store_refresh_token,
)
from petshots_auth.settings import AuthSettings
from petshots_auth.srp_login import SrpLoginServer
from petshots_core.access_tokens import AccessTokenVerifier, InvalidToken
from petshots_core.aws import client_on_first_call

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient

log = structlog.get_logger(__name__)

_CHALLENGE_NAMES = ("SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP", "USERNAME")
_THROTTLED = frozenset(
    {"TooManyRequestsException", "LimitExceededException", "TooManyFailedAttemptsException"}
)
_CODE_ERRORS = frozenset(
    {
        "CodeMismatchException",
        "ExpiredCodeException",
        "UserNotFoundException",
        "NotAuthorizedException",
        "AliasExistsException",
        "InvalidParameterException",
    }
)


def secret_hash(client_secret: str, client_id: str, username: str) -> str:
    """Cognito's SECRET_HASH: base64(HMAC-SHA256(client secret, username + client id))."""
    digest = hmac.new(
        client_secret.encode(), (username + client_id).encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


class CognitoBackend:
    name: Final = "cognito"

    def __init__(
        self,
        settings: AuthSettings,
        *,
        secret: bytes,
        verifier: AccessTokenVerifier,
        client: CognitoIdentityProviderClient | None = None,
    ) -> None:
        if settings.cognito_client_secret is None:
            raise ValueError("the cognito backend needs the app client secret")
        self.settings = settings
        self.pool_id = settings.user_pool_id
        self.client_id = settings.client_id
        self._client_secret = settings.cognito_client_secret.get_secret_value()
        self._verifier = verifier
        # Made by the first call, in its worker thread (``_call``; petshots_core.aws).
        self._client: CognitoIdentityProviderClient = client or client_on_first_call(
            "cognito-idp",
            region=settings.cognito_region,
            endpoint_url=settings.cognito_endpoint_url,
            connect_timeout=settings.cognito_timeout_s,
            read_timeout=settings.cognito_timeout_s,
            retries={"max_attempts": 2, "mode": "standard"},
        )
        # Decoy challenges for unknown accounts come from the local SRP server: same shape,
        # stable per e-mail, and impossible to finish.
        self._decoys = SrpLoginServer.from_secret(user_pool_id=self.pool_id, secret=secret)
        self.sessions = LoginSessionSealer(secret)

    def public_config(self) -> dict[str, str | None]:
        return {"user_pool_id": self.pool_id, "region": self.settings.cognito_region}

    def _hash(self, username: str) -> str:
        return secret_hash(self._client_secret, self.client_id, username)

    async def _call(self, fn: Callable[..., Any], **kwargs: Any) -> Any:
        try:
            return await anyio.to_thread.run_sync(lambda: fn(**kwargs))
        except ClientError as exc:
            code = _code(exc)
            if code in _THROTTLED:
                raise ProviderThrottled() from exc
            if code in ("InternalErrorException", "ServiceUnavailable") or (
                exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) >= 500
            ):
                log.error("cognito_unavailable", code=code)
                raise ProviderUnavailable() from exc
            raise
        except BotoCoreError as exc:
            log.error("cognito_unavailable", error=type(exc).__name__)
            raise ProviderUnavailable() from exc

    # --- sign-up and confirmation ---

    async def sign_up(self, db: AsyncSession, email: str, password: str) -> SignUpOutcome:
        try:
            await self._call(
                self._client.sign_up,
                ClientId=self.client_id,
                SecretHash=self._hash(email),
                Username=email,
                Password=password,
                UserAttributes=[{"Name": "email", "Value": email}],
            )
        except ClientError as exc:
            code = _code(exc)
            if code == "InvalidPasswordException":
                raise WeakPassword() from exc
            if code != "UsernameExistsException":
                log.error("cognito_sign_up_failed", code=code)
                raise ProviderUnavailable() from exc
        else:
            return SignUpOutcome.CREATED
        # An unconfirmed account gets its code again; a confirmed one is told by e-mail.
        try:
            await self._call(
                self._client.resend_confirmation_code,
                ClientId=self.client_id,
                SecretHash=self._hash(email),
                Username=email,
            )
        except (ClientError, ProviderUnavailable):
            # Confirmed already (or no answer): the owner of the address hears from us instead.
            return SignUpOutcome.EXISTS
        return SignUpOutcome.CREATED

    async def confirm(self, db: AsyncSession, email: str, code: str) -> None:
        try:
            await self._call(
                self._client.confirm_sign_up,
                ClientId=self.client_id,
                SecretHash=self._hash(email),
                Username=email,
                ConfirmationCode=code,
            )
        except ClientError as exc:
            if _code(exc) in _CODE_ERRORS:
                raise InvalidCode() from exc
            raise ProviderUnavailable() from exc

    async def resend_code(self, db: AsyncSession, email: str) -> None:
        try:
            await self._call(
                self._client.resend_confirmation_code,
                ClientId=self.client_id,
                SecretHash=self._hash(email),
                Username=email,
            )
        except ClientError as exc:
            log.info("cognito_resend_refused", code=_code(exc))
        except ProviderUnavailable:
            log.warning("cognito_resend_unavailable")

    # --- SRP login (relayed) ---

    async def login_start(self, db: AsyncSession, email: str, srp_a: str) -> LoginChallenge:
        srp.parse_srp_a(srp_a)  # refuse garbage here rather than spend a Cognito call on it
        try:
            response = await self._call(
                self._client.initiate_auth,
                ClientId=self.client_id,
                AuthFlow="USER_SRP_AUTH",
                AuthParameters={
                    "USERNAME": email,
                    "SRP_A": srp_a,
                    "SECRET_HASH": self._hash(email),
                },
            )
        except ClientError as exc:
            if _code(exc) in (
                "UserNotFoundException",
                "UserNotConfirmedException",
                "NotAuthorizedException",
            ):
                return self._decoy(email, srp_a)
            log.error("cognito_initiate_auth_failed", code=_code(exc))
            raise ProviderUnavailable() from exc
        if response.get("ChallengeName") != "PASSWORD_VERIFIER":
            log.error("cognito_unexpected_challenge", challenge=response.get("ChallengeName"))
            raise ProviderUnavailable()
        given = response.get("ChallengeParameters", {})
        params = {name: str(given[name]) for name in _CHALLENGE_NAMES if name in given}
        if not {"SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP"} <= params.keys():
            raise ProviderUnavailable()
        params.setdefault("USERNAME", params["USER_ID_FOR_SRP"])
        session = self.sessions.seal(
            LoginSession(
                email=email,
                user_id_for_srp=params["USERNAME"],
                block_binding=block_binding(params["SECRET_BLOCK"]),
                provider_session=str(response.get("Session") or ""),
            )
        )
        return LoginChallenge(session=session, challenge_parameters=params)

    def _decoy(self, email: str, srp_a: str) -> LoginChallenge:
        challenge = self._decoys.start(None, username=email, srp_a_hex=srp_a)
        session = self.sessions.seal(
            LoginSession(
                email=email,
                user_id_for_srp=challenge.user_id_for_srp,
                block_binding=block_binding(challenge.secret_block),
                decoy=True,
            )
        )
        return LoginChallenge(session=session, challenge_parameters=challenge.parameters())

    async def login_finish(
        self,
        db: AsyncSession,
        *,
        session: str,
        email: str,
        timestamp: str,
        secret_block: str,
        signature: str,
    ) -> AuthTokens:
        try:
            login = self.sessions.open_for(session, email=email, secret_block=secret_block)
        except InvalidLoginSession as exc:
            raise WrongCredentials() from exc
        if login.decoy:
            try:
                opened = self._decoys.open(secret_block)
                self._decoys.finish(opened, None, timestamp=timestamp, signature=signature)
            except srp.SrpError:
                pass
            raise WrongCredentials()
        username = login.user_id_for_srp
        kwargs: dict[str, Any] = {
            "ClientId": self.client_id,
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeResponses": {
                "USERNAME": username,
                "PASSWORD_CLAIM_SECRET_BLOCK": secret_block,
                "PASSWORD_CLAIM_SIGNATURE": signature,
                "TIMESTAMP": timestamp,
                "SECRET_HASH": self._hash(username),
            },
        }
        if login.provider_session:
            kwargs["Session"] = login.provider_session
        try:
            response = await self._call(self._client.respond_to_auth_challenge, **kwargs)
        except ClientError as exc:
            code = _code(exc)
            if code == "UserNotConfirmedException":
                raise NotConfirmed() from exc
            if code in (
                "NotAuthorizedException",
                "UserNotFoundException",
                "ResourceNotFoundException",
                "InvalidParameterException",
                "PasswordResetRequiredException",
                "ExpiredCodeException",
            ):
                raise WrongCredentials() from exc
            log.error("cognito_respond_failed", code=code)
            raise ProviderUnavailable() from exc
        result = response.get("AuthenticationResult")
        if not result:
            # MFA and other challenges are not enabled on our pool; refuse rather than guess.
            log.error("cognito_unexpected_challenge", challenge=response.get("ChallengeName"))
            raise WrongCredentials()
        claims = await self._claims(result["AccessToken"])
        # The address the login started with: Cognito just proved the password for it.
        if not await ensure_owner(db, claims.sub, login.email, self.settings.due_soon_days_default):
            raise WrongCredentials()
        refresh = result.get("RefreshToken")
        if refresh:
            await store_refresh_token(
                db,
                refresh,
                sub=claims.sub,
                origin_jti=claims.jti or str(uuid.uuid4()),
                auth_time=datetime.fromtimestamp(claims.auth_time or claims.issued_at, UTC),
                ttl=timedelta(seconds=self.settings.refresh_token_ttl_s),
            )
        return AuthTokens(
            access_token=result["AccessToken"],
            id_token=result.get("IdToken", ""),
            expires_in=int(result.get("ExpiresIn", 3600)),
            sub=claims.sub,
            refresh_token=refresh,
        )

    async def _claims(self, access_token: str) -> Any:
        try:
            return await self._verifier.verify(access_token)
        except InvalidToken as exc:
            # Cognito answered with a token our own services would refuse: a configuration
            # error (issuer, JWKS URL, client id); fail loudly rather than hand it out.
            log.error("cognito_token_not_verifiable", reason=exc.reason)
            raise ProviderUnavailable() from exc

    # --- refresh and logout ---

    async def refresh(self, db: AsyncSession, refresh_token: str) -> AuthTokens:
        row = await live_refresh_token(db, refresh_token)
        if row is None:
            raise InvalidRefreshToken()
        try:
            response = await self._call(
                self._client.initiate_auth,
                ClientId=self.client_id,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={
                    "REFRESH_TOKEN": refresh_token,
                    "SECRET_HASH": self._hash(str(row.sub)),
                },
            )
        except ClientError as exc:
            if _code(exc) in ("NotAuthorizedException", "UserNotFoundException"):
                raise InvalidRefreshToken() from exc
            raise ProviderUnavailable() from exc
        result = response["AuthenticationResult"]
        return AuthTokens(
            access_token=result["AccessToken"],
            id_token=result.get("IdToken", ""),
            expires_in=int(result.get("ExpiresIn", 3600)),
            sub=row.sub,
        )

    async def revoke(self, db: AsyncSession, refresh_token: str, sub: uuid.UUID) -> None:
        if not await revoke_refresh_token(db, refresh_token, sub):
            return  # not this owner's token (or already revoked): nothing to tell Cognito
        try:
            await self._call(
                self._client.revoke_token,
                Token=refresh_token,
                ClientId=self.client_id,
                ClientSecret=self._client_secret,
            )
        except (ClientError, ProviderUnavailable, ProviderThrottled) as exc:
            # Our own record already refuses the token, and nobody else can use it with Cognito
            # (REFRESH_TOKEN_AUTH needs the client secret); log and go on.
            log.warning("cognito_revoke_failed", error=type(exc).__name__)

    # --- forgotten password ---

    async def forgot_password(self, db: AsyncSession, email: str) -> None:
        try:
            await self._call(
                self._client.forgot_password,
                ClientId=self.client_id,
                SecretHash=self._hash(email),
                Username=email,
            )
        except ClientError as exc:
            log.info("cognito_forgot_refused", code=_code(exc))

    async def reset_password(self, db: AsyncSession, email: str, code: str, password: str) -> None:
        try:
            await self._call(
                self._client.confirm_forgot_password,
                ClientId=self.client_id,
                SecretHash=self._hash(email),
                Username=email,
                ConfirmationCode=code,
                Password=password,
            )
        except ClientError as exc:
            if _code(exc) == "InvalidPasswordException":
                raise WeakPassword() from exc
            if _code(exc) in _CODE_ERRORS:
                raise InvalidCode() from exc
            raise ProviderUnavailable() from exc
        await db.execute(
            text(
                "UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL"
                " AND sub IN (SELECT id FROM owners WHERE email = :email)"
            ),
            {"email": email},
        )

    # --- account ---

    async def email_of(self, db: AsyncSession, sub: uuid.UUID) -> tuple[str | None, bool]:
        row = (
            await db.execute(text("SELECT email FROM owners WHERE id = :id"), {"id": sub})
        ).first()
        # Cognito only issues tokens to confirmed users, so a known owner is a verified one.
        return (row.email, True) if row is not None and row.email else (None, False)

    async def delete_identity(self, db: AsyncSession, sub: uuid.UUID) -> None:
        try:
            await self._call(
                self._client.admin_delete_user, UserPoolId=self.pool_id, Username=str(sub)
            )
        except ClientError as exc:
            if _code(exc) != "UserNotFoundException":  # already gone: a retried deletion
                log.error("cognito_delete_failed", code=_code(exc))
                raise ProviderUnavailable() from exc
