"""Typed settings read once from the environment.

Every variable carries the ``PETSHOTS_`` prefix (``PETSHOTS_DATABASE_URL`` etc.); lists are
given as JSON (``["a","b"]``) or comma-separated. ``docs/configuration.md`` lists them all and
a test keeps that page in step with this class.
"""

from __future__ import annotations

import functools
import ipaddress
import json
from typing import Annotated, Literal

from pydantic import Field, PositiveInt, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MiB = 1024 * 1024


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            return json.loads(text)
        return [part.strip() for part in text.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PETSHOTS_", extra="ignore", frozen=True)

    env: Literal["local", "test", "production"] = "local"
    service_name: str = "petshots"

    # --- database and cache ---
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/petshots"
    db_pool_size: PositiveInt = 10
    db_max_overflow: int = Field(default=10, ge=0)
    db_connect_timeout_s: float = Field(default=3.0, gt=0)
    db_statement_timeout_ms: PositiveInt = 10_000
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_timeout_s: float = Field(default=0.5, gt=0, le=5)

    # --- object storage ---
    s3_endpoint_url: str | None = None
    # The endpoint browsers use for presigned URLs (differs from the service's endpoint
    # inside compose or when a proxy fronts storage). None = same as s3_endpoint_url.
    s3_public_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    uploads_bucket: str = "petshots-uploads"
    s3_connect_timeout_s: float = Field(default=2.0, gt=0)
    s3_read_timeout_s: float = Field(default=5.0, gt=0)

    # --- access tokens (Cognito or the local identity provider) ---
    jwks_url: str = "http://127.0.0.1:8000/auth/.well-known/jwks.json"
    token_issuer: str = "http://localhost:8000/auth"  # noqa: S105 - a URL, not a secret
    token_client_ids: Annotated[list[str], NoDecode] = ["petshots-web"]
    jwks_fetch_timeout_s: float = Field(default=3.0, gt=0, le=3.0)
    jwks_min_refresh_interval_s: float = Field(default=10.0, ge=10.0)
    jwks_max_age_s: float = Field(default=3600.0, gt=0)
    token_leeway_s: int = Field(default=30, ge=0, le=120)
    # Verified claims are reused per token string for this long (never past its exp); 0 = off.
    token_cache_ttl_s: float = Field(default=60.0, ge=0, le=300)
    token_cache_max_entries: int = Field(default=10_000, ge=0)

    # --- product limits (SPEC §3.2) ---
    max_pets_per_owner: PositiveInt = 3
    max_docs_per_pet: PositiveInt = 20
    max_doc_bytes: PositiveInt = 20 * MiB
    max_photo_bytes: PositiveInt = 5 * MiB
    upload_policy_ttl_s: PositiveInt = 300
    owner_download_ttl_s: PositiveInt = 3600
    passport_download_ttl_s: PositiveInt = Field(default=300, le=300)
    due_soon_days_default: int = Field(default=30, ge=0, le=365)
    pending_doc_max_age_s: PositiveInt = 24 * 3600

    # --- the client behind proxies ---
    # Peers whose X-Forwarded-For is believed (the edge; in production the load balancer's
    # subnets). Anyone else's header is ignored, so a client cannot pick its own address for
    # rate limits and lockouts.
    trusted_proxy_addresses: Annotated[list[str], NoDecode] = ["127.0.0.1/32", "::1/128"]
    # A header a trusted proxy sets to the client's address (CloudFront-Viewer-Address).
    client_address_header: str | None = None

    # --- product addresses ---
    public_base_url: str = "http://localhost:8000"
    # Local state (keys, secrets generated for local runs); `make dev` uses <repo>/.petshots.
    state_dir: str = ".petshots"

    # --- e-mail ---
    mail_transport: Literal["smtp", "ses"] = "smtp"
    mail_from: str = "Petshots <no-reply@petshots.localhost>"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=1025, gt=0, lt=65536)
    smtp_timeout_s: float = Field(default=5.0, gt=0)
    ses_region: str = "us-east-1"
    ses_endpoint_url: str | None = None
    ses_configuration_set: str | None = None
    ses_max_send_rate_per_s: float = Field(default=14.0, gt=0)

    # --- shared secrets (production: injected from Secrets Manager through the environment) ---
    # Signs per-owner links in e-mails (unsubscribe). Local runs generate one under state_dir.
    link_signing_secret: SecretStr | None = None

    # --- logging ---
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool = True

    @field_validator("token_client_ids", "trusted_proxy_addresses", mode="before")
    @classmethod
    def _parse_lists(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("token_client_ids")
    @classmethod
    def _non_empty(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("at least one client id is required")
        return value

    @field_validator("trusted_proxy_addresses")
    @classmethod
    def _valid_networks(cls, value: list[str]) -> list[str]:
        for item in value:
            ipaddress.ip_network(item, strict=False)  # ValueError on nonsense
        return value

    @property
    def browser_s3_endpoint_url(self) -> str | None:
        return self.s3_public_endpoint_url or self.s3_endpoint_url


@functools.cache
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
