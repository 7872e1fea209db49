"""Throttling and temporary lockout in Redis, per account and per client address.

* Every public identity request counts against its client address (fixed one-minute window).
* A failed login (wrong password, unknown account, bad challenge) counts against the account
  *and* the address within ``login_failure_window_s``; reaching the maximum locks that
  account (or address) out of login for ``login_lockout_s``. Unknown e-mails are counted
  exactly like real ones, so a lockout says nothing about whether an account exists.
* A successful login clears the account's failure count (not the address's).

Accounts are keyed by an HMAC of the normalised e-mail, so Redis never holds an address.
If Redis is unreachable, throttling fails open and logs it: refusing every login because the
rate-limit store is down would be an outage of its own. (The SRP replay guard, which is a
security property and not a rate limit, fails closed instead.)
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

log = structlog.get_logger(__name__)


class Throttled(Exception):
    def __init__(self, retry_after: int, *, locked: bool) -> None:
        super().__init__("throttled")
        self.retry_after = max(1, retry_after)
        self.locked = locked


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures_per_account: int
    max_failures_per_address: int
    failure_window_s: int
    lockout_s: int
    public_requests_per_minute: int


class Throttle:
    def __init__(self, redis: Redis, *, prefix: str, key: bytes, policy: ThrottlePolicy) -> None:
        self._redis = redis
        self._prefix = prefix
        self._key = key
        self.policy = policy

    def _account(self, email: str) -> str:
        digest = hmac.new(self._key, email.encode(), hashlib.sha256).hexdigest()[:32]
        return f"acct:{digest}"

    @staticmethod
    def _address(address: str) -> str:
        return f"addr:{address}"

    async def hit_public(self, address: str) -> None:
        """Count one public request from ``address``; Throttled beyond the per-minute limit."""
        key = f"{self._prefix}rate:{self._address(address)}"
        try:
            pipe = self._redis.pipeline(transaction=True)
            pipe.incr(key)
            pipe.expire(key, 60, nx=True)
            pipe.ttl(key)
            count, _, ttl = await pipe.execute()
        except (RedisError, OSError) as exc:
            log.warning("throttle_unavailable_fail_open", error=type(exc).__name__)
            return
        if int(count) > self.policy.public_requests_per_minute:
            raise Throttled(int(ttl) if int(ttl) > 0 else 60, locked=False)

    async def check_login(self, email: str, address: str) -> None:
        """Throttled if the account or the address is locked out of login."""
        keys = [
            f"{self._prefix}lock:{self._account(email)}",
            f"{self._prefix}lock:{self._address(address)}",
        ]
        try:
            pipe = self._redis.pipeline(transaction=False)
            for key in keys:
                pipe.ttl(key)
            ttls = await pipe.execute()
        except (RedisError, OSError) as exc:
            log.warning("throttle_unavailable_fail_open", error=type(exc).__name__)
            return
        remaining = max(int(t) for t in ttls)
        if remaining > 0:
            raise Throttled(remaining, locked=True)

    async def login_failed(self, email: str, address: str) -> None:
        """Count a failed login; lock the account or address once it reaches its maximum."""
        p = self.policy
        scopes = [
            (self._account(email), p.max_failures_per_account),
            (self._address(address), p.max_failures_per_address),
        ]
        try:
            for scope, limit in scopes:
                fail_key = f"{self._prefix}fail:{scope}"
                pipe = self._redis.pipeline(transaction=True)
                pipe.incr(fail_key)
                pipe.expire(fail_key, p.failure_window_s, nx=True)
                count, _ = await pipe.execute()
                if int(count) >= limit:
                    await self._redis.set(f"{self._prefix}lock:{scope}", b"1", ex=p.lockout_s)
                    await self._redis.delete(fail_key)
                    log.info("login_locked_out", scope=scope.split(":", 1)[0])
        except (RedisError, OSError) as exc:
            log.warning("throttle_unavailable_fail_open", error=type(exc).__name__)

    async def login_succeeded(self, email: str) -> None:
        try:
            await self._redis.delete(f"{self._prefix}fail:{self._account(email)}")
        except (RedisError, OSError) as exc:
            log.warning("throttle_unavailable_fail_open", error=type(exc).__name__)

    async def failures(self, email: str) -> int:
        """The account's current failure count (for tests and diagnostics)."""
        raw = await self._redis.get(f"{self._prefix}fail:{self._account(email)}")
        return int(raw or 0)


class RedisReplayGuard:
    """Single use of SRP SECRET_BLOCKs across replicas: ``SET NX`` until the block expires."""

    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    async def claim(self, block_id: str, expires_at_ms: int) -> bool:
        """True exactly once per block id. Raises RedisError when Redis is down (fail closed)."""
        result = await self._redis.set(
            f"{self._prefix}srp-block:{block_id}", b"1", nx=True, pxat=expires_at_ms
        )
        return bool(result)
