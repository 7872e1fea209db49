"""Per-client fixed-window counters in Redis for the public passport paths.

Two budgets per client and window: every request, and the tighter one for misses (answers
that found no live passport), which is what guessing tokens produces. A check is one command
(a Lua script: count this request, read the misses), sent together with the checks of other
requests in flight (``script_batch``); a miss adds one more round trip.

Redis trouble never locks a facility out at the door: the limiter fails open, logs it once
per outage, and leaves Redis alone for ``retry_s`` so each request does not pay a timeout.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from petshots_passport.lib.script_batch import ScriptBatcher

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    retry_after_s: int = 0


ALLOW = Verdict(True)

# KEYS: the all-requests counter, the misses counter; ARGV: the counters' lifetime (s).
# One command rather than three: about a third less client CPU per check with redis-py.
_CHECK = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('GET', KEYS[2])}
"""


class PassportRateLimiter:
    def __init__(
        self,
        redis: Redis,
        *,
        limit: int,
        miss_limit: int,
        window_s: int,
        prefix: str,
        retry_s: float,
    ) -> None:
        self._redis = redis
        self._check = ScriptBatcher(redis, _CHECK)
        self.limit = limit
        self.miss_limit = miss_limit
        self.window_s = window_s
        self._prefix = prefix
        self._retry_s = retry_s
        self._skip_until: float | None = None
        self.fail_open_count = 0

    def _window(self) -> tuple[int, float]:
        now = time.time()
        return int(now // self.window_s), now

    def _keys(self, client: str, window: int) -> tuple[str, str]:
        return (f"{self._prefix}all:{client}:{window}", f"{self._prefix}miss:{client}:{window}")

    def _redis_usable(self) -> bool:
        if self._skip_until is None:
            return True
        if time.monotonic() >= self._skip_until:
            self._skip_until = None
            return True
        self.fail_open_count += 1
        return False

    def _fail_open(self, exc: BaseException) -> None:
        self.fail_open_count += 1
        if self._skip_until is None:
            log.warning(
                "passport_rate_limit_unavailable_fail_open",
                error=type(exc).__name__,
                retry_in_s=self._retry_s,
            )
        self._skip_until = time.monotonic() + self._retry_s

    async def check(self, client: str) -> Verdict:
        if not self._redis_usable():
            return ALLOW
        window, now = self._window()
        all_key, miss_key = self._keys(client, window)
        try:
            count, misses = await self._check([all_key, miss_key], [self.window_s + 1])
        except (RedisError, OSError, TimeoutError) as exc:
            self._fail_open(exc)
            return ALLOW
        if int(count) > self.limit or int(misses or 0) >= self.miss_limit:
            retry = max(1, math.ceil((window + 1) * self.window_s - now))
            return Verdict(False, retry)
        return ALLOW

    async def record_miss(self, client: str) -> None:
        if not self._redis_usable():
            return
        window, _ = self._window()
        _, miss_key = self._keys(client, window)
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.incr(miss_key)
                pipe.expire(miss_key, self.window_s + 1)
                await pipe.execute()
        except (RedisError, OSError, TimeoutError) as exc:
            self._fail_open(exc)
