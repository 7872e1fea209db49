"""Access-token verification shared by every service.

PyJWT checks signatures and registered claims; what it does not do — and what this module
adds — is a JWKS cache that never lets a stranger's ``kid`` turn into a stream of outbound
fetches (at most one refresh per ``min_refresh_interval``, single-flight, bounded timeout) and
the Cognito-specific claims (``token_use``, ``client_id``), which are the only proof that a
token is an access token minted for our app client. Tokens that verified are remembered for a
short while (``petshots_core.claims_cache``).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jwt
import structlog
from jwt import PyJWK

from petshots_core.claims_cache import ClaimsCache
from petshots_core.settings import Settings

if TYPE_CHECKING:
    import httpx

log = structlog.get_logger(__name__)

ALGORITHM = "RS256"
_MAX_KID_LENGTH = 256

# Where a JwksCache gets its keys (kid → key); by default, a GET of its JWKS URL.
KeySource = Callable[[], Awaitable[dict[str, PyJWK]]]


class JwksUnavailable(Exception):
    """The JWKS could not be fetched (connection, timeout, HTTP status); names the cause."""


class InvalidToken(Exception):
    """The token is not a valid access token for this deployment. ``reason`` is for logs only."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class AccessClaims:
    sub: uuid.UUID
    client_id: str
    jti: str | None
    issued_at: int
    expires_at: int
    auth_time: int | None
    scope: str | None


class JwksCache:
    """Public keys from one JWKS URL, refreshed lazily and rate-limited.

    ``source`` replaces the HTTP fetch (the auth service reads its own key set in process);
    the refresh rules stay the same whatever the source.
    """

    def __init__(
        self,
        url: str,
        *,
        fetch_timeout_s: float = 3.0,
        min_refresh_interval_s: float = 10.0,
        max_age_s: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.AsyncBaseTransport | None = None,
        source: KeySource | None = None,
    ) -> None:
        self.url = url
        self._source: KeySource = source or self._fetch_over_http
        self._timeout = fetch_timeout_s
        self._min_interval = min_refresh_interval_s
        self._max_age = max_age_s
        self._clock = clock
        self._transport = transport
        self._keys: dict[str, PyJWK] = {}
        self._fetched_at: float | None = None
        self._last_attempt: float | None = None
        self._lock = asyncio.Lock()
        self.fetch_count = 0

    async def key_for(self, kid: str) -> PyJWK:
        if kid in self._keys and not self._stale():
            return self._keys[kid]
        await self._maybe_refresh()
        key = self._keys.get(kid)
        if key is None:
            raise InvalidToken("unknown kid")
        return key

    def _stale(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at > self._max_age

    def _may_attempt(self) -> bool:
        return (
            self._last_attempt is None or self._clock() - self._last_attempt >= self._min_interval
        )

    async def _maybe_refresh(self) -> None:
        if not self._may_attempt():
            if self._lock.locked():
                # A refresh is in flight (a cold start, a rotation): its keys are the answer.
                # Returning now would call every concurrent token "unknown kid" until it lands.
                async with self._lock:
                    pass
            return
        async with self._lock:
            # Another request may have refreshed while this one waited for the lock.
            if not self._may_attempt():
                return
            self._last_attempt = self._clock()
            try:
                self._keys = await self._fetch()
                self._fetched_at = self._clock()
            except (JwksUnavailable, ValueError, jwt.PyJWKError) as exc:
                # Keep serving the keys we have: a flaky IdP must not log everyone out.
                error = str(exc) if isinstance(exc, JwksUnavailable) else type(exc).__name__
                log.warning("jwks_fetch_failed", url=self.url, error=error)
            finally:
                # The interval runs from the end of an attempt: a slow one (a busy process
                # building its HTTP client) must not bring the next request closer to it.
                self._last_attempt = self._clock()

    async def _fetch(self) -> dict[str, PyJWK]:
        self.fetch_count += 1
        return await self._source()

    async def _fetch_over_http(self) -> dict[str, PyJWK]:
        # Imported on the first fetch (the first authenticated request), not at start-up:
        # httpx costs ~0.05 s to import (docs/performance.md).
        import httpx

        try:
            async with httpx.AsyncClient(
                timeout=self._timeout, transport=self._transport, follow_redirects=False
            ) as client:
                response = await client.get(self.url, headers={"Accept": "application/json"})
                response.raise_for_status()
                body = response.json()
        except httpx.HTTPError as exc:
            raise JwksUnavailable(type(exc).__name__) from exc
        keys: dict[str, PyJWK] = {}
        for raw in body.get("keys", []) if isinstance(body, Mapping) else []:
            if not isinstance(raw, Mapping):
                continue
            if raw.get("kty") != "RSA" or raw.get("alg", ALGORITHM) != ALGORITHM:
                continue
            if raw.get("use", "sig") != "sig" or not isinstance(raw.get("kid"), str):
                continue
            keys[raw["kid"]] = PyJWK(dict(raw), algorithm=ALGORITHM)
        if not keys:
            raise ValueError("JWKS holds no RS256 signing keys")
        return keys


class AccessTokenVerifier:
    def __init__(
        self,
        jwks: JwksCache,
        *,
        issuer: str,
        client_ids: frozenset[str],
        leeway_s: int = 30,
        cache: ClaimsCache[AccessClaims] | None = None,
    ) -> None:
        self.jwks = jwks
        self.issuer = issuer
        self.client_ids = client_ids
        self.leeway_s = leeway_s
        self.cache: ClaimsCache[AccessClaims] = (
            cache if cache is not None else ClaimsCache(ttl_s=0, max_entries=0)
        )

    @classmethod
    def from_settings(
        cls, settings: Settings, *, keys: KeySource | None = None
    ) -> AccessTokenVerifier:
        """The verifier of the settings' issuer; ``keys`` instead of fetching its JWKS URL."""
        return cls(
            JwksCache(
                settings.jwks_url if keys is None else "in-process",
                fetch_timeout_s=settings.jwks_fetch_timeout_s,
                min_refresh_interval_s=settings.jwks_min_refresh_interval_s,
                max_age_s=settings.jwks_max_age_s,
                source=keys,
            ),
            issuer=settings.token_issuer,
            client_ids=frozenset(settings.token_client_ids),
            leeway_s=settings.token_leeway_s,
            cache=ClaimsCache(
                ttl_s=settings.token_cache_ttl_s, max_entries=settings.token_cache_max_entries
            ),
        )

    async def verify(self, token: str) -> AccessClaims:
        claims = self.cache.get(token)
        if claims is None:
            claims = await self._verify(token)
            self.cache.put(token, claims, expires_at=claims.expires_at)
        return claims

    async def _verify(self, token: str) -> AccessClaims:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken("malformed") from exc
        # Decide the algorithm before touching any key: "none", HS256 signed with the public
        # key, and every other algorithm confusion die here.
        if header.get("alg") != ALGORITHM:
            raise InvalidToken("algorithm not allowed")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid or len(kid) > _MAX_KID_LENGTH:
            raise InvalidToken("missing kid")
        key = await self.jwks.key_for(kid)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key.key,
                algorithms=[ALGORITHM],
                issuer=self.issuer,
                leeway=self.leeway_s,
                options={
                    "require": ["exp", "iat", "iss", "sub", "token_use", "client_id"],
                    "verify_aud": False,  # Cognito access tokens carry client_id, not aud
                },
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(type(exc).__name__) from exc
        if claims.get("token_use") != "access":
            raise InvalidToken("not an access token")
        client_id = claims.get("client_id")
        if not isinstance(client_id, str) or client_id not in self.client_ids:
            raise InvalidToken("client not allowed")
        try:
            sub = uuid.UUID(str(claims["sub"]))
        except ValueError as exc:
            raise InvalidToken("sub is not a UUID") from exc
        return AccessClaims(
            sub=sub,
            client_id=client_id,
            jti=claims.get("jti") if isinstance(claims.get("jti"), str) else None,
            issued_at=int(claims["iat"]),
            expires_at=int(claims["exp"]),
            auth_time=_int_or_none(claims.get("auth_time")),
            scope=claims.get("scope") if isinstance(claims.get("scope"), str) else None,
        )


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
