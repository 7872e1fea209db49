"""Cloudflare Turnstile verification (server side), failing closed.

The secret comes from settings, or in production from AWS Secrets Manager by its full ARN,
cached for ``captcha_secret_cache_s``. Every outcome other than an explicit
``{"success": true}`` (for our hostname, if one is configured) refuses the sign-up: a timeout,
a 5xx, a body that is not JSON, a JSON body of the wrong shape.
"""

from __future__ import annotations

import enum
import time
from typing import TYPE_CHECKING, Any

import anyio.to_thread
import structlog
from botocore.exceptions import BotoCoreError, ClientError  # light: no boto3, no HTTP stack

from petshots_auth.settings import AuthSettings
from petshots_core.aws import client_on_first_call

if TYPE_CHECKING:
    import httpx
    from mypy_boto3_secretsmanager import SecretsManagerClient

log = structlog.get_logger(__name__)

_MAX_TOKEN_CHARS = 2048  # Turnstile tokens are up to 2048 characters


class CaptchaOutcome(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"  # the verifier said no (or the token is absent/oversized)
    UNAVAILABLE = "unavailable"  # no usable answer: timeout, error, garbage


class SecretsManagerSecret:
    """One secret string read by full ARN, cached in memory."""

    def __init__(
        self, settings: AuthSettings, arn: str, client: SecretsManagerClient | None = None
    ) -> None:
        self.arn = arn
        self._ttl = settings.captcha_secret_cache_s
        # Made by the first fetch, in its worker thread (petshots_core.aws).
        self._client: SecretsManagerClient = client or client_on_first_call(
            "secretsmanager",
            region=settings.secrets_region,
            endpoint_url=settings.secretsmanager_endpoint_url,
            connect_timeout=2,
            read_timeout=3,
            retries={"max_attempts": 2},
        )
        self._value: str | None = None
        self._fetched_at = 0.0
        self.fetch_count = 0

    async def get(self) -> str:
        if self._value is not None and time.monotonic() - self._fetched_at < self._ttl:
            return self._value

        def fetch() -> str:
            response = self._client.get_secret_value(SecretId=self.arn)
            value = response.get("SecretString")
            if not isinstance(value, str) or not value:
                raise ValueError("the secret holds no string")
            return value

        self.fetch_count += 1
        self._value = await anyio.to_thread.run_sync(fetch)
        self._fetched_at = time.monotonic()
        return self._value


class TurnstileVerifier:
    def __init__(
        self,
        settings: AuthSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        secret_source: SecretsManagerSecret | None = None,
    ) -> None:
        self.url = settings.captcha_verify_url
        self.timeout = settings.captcha_timeout_s
        self.hostname = settings.captcha_hostname
        self._static = settings.captcha_secret
        self._source = secret_source
        if self._static is None and self._source is None and settings.captcha_secret_arn:
            self._source = SecretsManagerSecret(settings, settings.captcha_secret_arn)
        self._transport = transport

    async def _secret(self) -> str:
        if self._static is not None:
            return self._static.get_secret_value()
        if self._source is None:
            raise RuntimeError("no CAPTCHA secret configured")
        return await self._source.get()

    async def verify(self, token: str | None, remote_ip: str | None) -> CaptchaOutcome:
        import httpx  # here, not at start-up: ~0.05 s to import (docs/performance.md)

        if not token or len(token) > _MAX_TOKEN_CHARS:
            return CaptchaOutcome.FAILED
        try:
            secret = await self._secret()
        except (BotoCoreError, ClientError, ValueError, RuntimeError) as exc:
            log.error("captcha_secret_unavailable", error=type(exc).__name__)
            return CaptchaOutcome.UNAVAILABLE
        form = {"secret": secret, "response": token}
        if remote_ip:
            form["remoteip"] = remote_ip
        try:
            async with httpx.AsyncClient(
                timeout=self.timeout, transport=self._transport, follow_redirects=False
            ) as client:
                response = await client.post(self.url, data=form)
            if response.status_code != 200:
                log.warning("captcha_verifier_error", status=response.status_code)
                return CaptchaOutcome.UNAVAILABLE
            body: Any = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("captcha_verifier_unavailable", error=type(exc).__name__)
            return CaptchaOutcome.UNAVAILABLE
        if not isinstance(body, dict) or not isinstance(body.get("success"), bool):
            log.warning("captcha_verifier_garbage")
            return CaptchaOutcome.UNAVAILABLE
        if body["success"] is not True:
            codes = body.get("error-codes")
            log.info("captcha_failed", codes=codes if isinstance(codes, list) else None)
            return CaptchaOutcome.FAILED
        if self.hostname is not None and body.get("hostname") != self.hostname:
            log.info("captcha_failed", reason="hostname")
            return CaptchaOutcome.FAILED
        return CaptchaOutcome.PASSED
