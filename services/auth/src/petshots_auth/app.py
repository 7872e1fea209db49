"""The auth service: identity (local provider or Cognito), tokens, owner settings, unsubscribe."""

from __future__ import annotations

from pathlib import Path

from arq.connections import ArqRedis
from jwt import PyJWK
from litestar import Litestar
from redis.asyncio import Redis

from petshots_auth.backends.base import IdentityBackend
from petshots_auth.backends.cognito import CognitoBackend
from petshots_auth.backends.local import LocalBackend
from petshots_auth.captcha import TurnstileVerifier
from petshots_auth.context import AuthServices
from petshots_auth.domain.account.controllers import AccountController
from petshots_auth.domain.identity.controllers import IdentityController, JwksController
from petshots_auth.domain.unsubscribe.controllers import UnsubscribeController
from petshots_auth.keys import KeySet
from petshots_auth.secret_block import derive_key
from petshots_auth.settings import AuthSettings, auth_settings
from petshots_auth.throttle import RedisReplayGuard, Throttle, ThrottlePolicy
from petshots_core.access_tokens import ALGORITHM, AccessTokenVerifier, KeySource
from petshots_core.local_secrets import resolve_secret
from petshots_core.mail import create_sender
from petshots_core.settings import Settings
from petshots_core.signed_links import UNSUBSCRIBE, LinkSigner
from petshots_core.web.app import create_service_app
from petshots_core.web.client_address import parse_networks

OPENAPI_PATH = "/auth"
KEYS_DIR = "auth-keys"


def keyset_keys(keyset: KeySet) -> KeySource:
    """The verifier's key source for the local provider: its own key set, in process.

    Same verification code as every other service, minus the HTTP round trip to itself.
    """

    async def keys() -> dict[str, PyJWK]:
        return {key.kid: PyJWK(key.jwk(), algorithm=ALGORITHM) for key in keyset.verification_keys}

    return keys


def load_keyset(settings: AuthSettings) -> KeySet:
    """Signing keys: a settings secret, a key file, or (local only) one made under state_dir."""
    if settings.signing_keys is not None:
        return KeySet.from_setting(settings.signing_keys.get_secret_value())
    if settings.signing_key_file is not None:
        return KeySet.load(Path(settings.signing_key_file))
    if settings.env == "production":
        raise RuntimeError("the local identity provider needs signing keys in production")
    return KeySet.load_or_create(Path(settings.state_dir) / KEYS_DIR)


def create_app(settings: Settings | None = None) -> Litestar:
    s = auth_settings(settings).model_copy(update={"service_name": "petshots-auth"})
    secret = resolve_secret(s, s.auth_secret, "auth_secret")
    keyset = load_keyset(s) if s.identity_backend == "local" else None
    verifier = AccessTokenVerifier.from_settings(
        s, keys=keyset_keys(keyset) if keyset is not None else None
    )

    clients: dict[str, Redis] = {}

    async def redis_ready() -> None:
        # Logins need Redis (the SRP replay guard fails closed), so readiness does too.
        await clients["redis"].ping()

    app = create_service_app(
        settings=s,
        title="Petshots auth API",
        openapi_path=OPENAPI_PATH,
        route_handlers=[
            IdentityController,
            JwksController,
            AccountController,
            UnsubscribeController,
        ],
        extra_checks={"redis": redis_ready},
        state={"verifier": verifier},
    )
    redis: Redis = app.state.redis
    clients["redis"] = redis
    mailer = create_sender(s)
    backend: IdentityBackend
    if keyset is not None:
        backend = LocalBackend(
            s,
            secret=secret,
            keyset=keyset,
            mailer=mailer,
            replay_guard=RedisReplayGuard(redis, prefix=s.redis_key_prefix),
        )
    else:
        backend = CognitoBackend(s, secret=secret, verifier=verifier)
    jobs = ArqRedis(connection_pool=redis.connection_pool)
    app.state.auth = AuthServices(
        settings=s,
        backend=backend,
        throttle=Throttle(
            redis,
            prefix=s.redis_key_prefix,
            key=derive_key(secret, purpose="throttle-keys"),
            policy=ThrottlePolicy(
                max_failures_per_account=s.login_max_failures_per_account,
                max_failures_per_address=s.login_max_failures_per_address,
                failure_window_s=s.login_failure_window_s,
                lockout_s=s.login_lockout_s,
                public_requests_per_minute=s.public_requests_per_minute,
            ),
        ),
        captcha=TurnstileVerifier(s) if s.captcha_enabled else None,
        mailer=mailer,
        keyset=keyset,
        denylist=app.state.denylist,  # the one create_service_app checks requests against
        jobs=jobs,
        unsubscribe_links=LinkSigner.from_settings(s, UNSUBSCRIBE),
    )
    # Kept beside, not inside, AuthServices: Litestar validates dependency values against
    # their types, and msgspec cannot express a union of two network classes.
    app.state.trusted_proxies = parse_networks(s.trusted_proxy_addresses)
    return app
