"""Settings of the auth service: the shared ones plus identity, CAPTCHA and throttling.

Still ``PETSHOTS_``-prefixed environment variables (``PETSHOTS_IDENTITY_BACKEND=cognito`` ...).
"""

from __future__ import annotations

import functools
import re
from typing import Literal, Self

from pydantic import Field, PositiveInt, SecretStr, model_validator

from petshots_core.settings import Settings

# A full Secrets Manager ARN (with the 6-character suffix AWS appends): a partial ARN or a
# bare name would resolve to whichever secret happens to match, so only the full one is taken.
SECRET_ARN = re.compile(
    r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$"
)
TURNSTILE_SITEVERIFY = "https://challenges.cloudflare.com/turnstile/v0/siteverify"


class AuthSettings(Settings):
    # --- identity provider ---
    identity_backend: Literal["local", "cognito"] = "local"
    # "<region>_<name>": Cognito SRP clients mix the part after "_" into every proof, so the
    # local provider needs one too. Alphanumeric name (amazon-cognito-identity-js checks it).
    user_pool_id: str = Field(default="local_Petshots", pattern=r"^[\w-]+_[0-9A-Za-z]+$")
    # The app client the tokens are minted for; None = the first of token_client_ids.
    app_client_id: str | None = None
    # Seals SRP state and login sessions, keys the decoy challenges and the e-mail code hashes.
    # Local runs generate one under state_dir; production must set it.
    auth_secret: SecretStr | None = None

    # --- local provider: signing keys and lifetimes ---
    # PEM text or the JSON key-set form ({"active": PEM, "previous": [PEM, ...]}).
    signing_keys: SecretStr | None = None
    # A file with the same content (make dev: the dev key, so dev tokens and logins share it).
    signing_key_file: str | None = None
    access_token_ttl_s: PositiveInt = Field(default=3600, le=86400)
    refresh_token_ttl_s: PositiveInt = 30 * 86400
    confirm_code_ttl_s: PositiveInt = 24 * 3600
    reset_code_ttl_s: PositiveInt = 3600
    code_max_attempts: PositiveInt = 5

    # --- Cognito ---
    cognito_region: str = "us-east-1"
    cognito_endpoint_url: str | None = None
    cognito_client_secret: SecretStr | None = None
    cognito_timeout_s: float = Field(default=5.0, gt=0, le=30)

    # --- CAPTCHA (Cloudflare Turnstile); no site key = no CAPTCHA (local default) ---
    captcha_site_key: str | None = None
    captcha_secret: SecretStr | None = None
    captcha_secret_arn: str | None = None
    captcha_secret_cache_s: float = Field(default=3600.0, ge=0)
    captcha_verify_url: str = TURNSTILE_SITEVERIFY
    captcha_timeout_s: float = Field(default=3.0, gt=0, le=10)
    # If set, the token must have been solved on this hostname.
    captcha_hostname: str | None = None
    secrets_region: str = "us-east-1"
    secretsmanager_endpoint_url: str | None = None

    # --- throttling and lockout (Redis) ---
    redis_key_prefix: str = "petshots:auth:"
    login_max_failures_per_account: PositiveInt = 5
    login_max_failures_per_address: PositiveInt = 20
    login_failure_window_s: PositiveInt = 900
    login_lockout_s: PositiveInt = 900
    # Every public identity request (sign-up, confirm, login, forgot/reset) per client address.
    public_requests_per_minute: PositiveInt = 30

    # --- jobs ---
    jobs_queue_name: str = "arq:queue"

    @property
    def client_id(self) -> str:
        return self.app_client_id or self.token_client_ids[0]

    @property
    def captcha_enabled(self) -> bool:
        return self.captcha_site_key is not None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.client_id not in self.token_client_ids:
            raise ValueError("app_client_id must be one of token_client_ids")
        if self.captcha_secret_arn is not None and not SECRET_ARN.match(self.captcha_secret_arn):
            raise ValueError("captcha_secret_arn must be a full Secrets Manager ARN")
        if self.captcha_enabled and self.captcha_secret is None and not self.captcha_secret_arn:
            raise ValueError("a CAPTCHA site key needs captcha_secret or captcha_secret_arn")
        if self.env == "production":
            if not self.captcha_enabled:
                raise ValueError("production sign-up needs the CAPTCHA (captcha_site_key)")
            if self.auth_secret is None:
                raise ValueError("PETSHOTS_AUTH_SECRET must be set in production")
            if self.identity_backend == "local" and not (
                self.signing_keys or self.signing_key_file
            ):
                raise ValueError("the local provider needs signing keys in production")
        if self.identity_backend == "cognito" and self.cognito_client_secret is None:
            raise ValueError("the cognito backend needs the app client secret")
        return self


def auth_settings(base: Settings | None = None) -> AuthSettings:
    """AuthSettings from the environment, or layered over a given base ``Settings``."""
    if base is None:
        return get_auth_settings()
    if isinstance(base, AuthSettings):
        return base
    return AuthSettings(**dict(base))


@functools.cache
def get_auth_settings() -> AuthSettings:
    return AuthSettings()
