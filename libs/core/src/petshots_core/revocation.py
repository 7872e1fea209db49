"""Deleted owners' subjects: their still-unexpired access tokens must stop working at once.

An access token is self-contained for up to an hour; deleting the account cannot recall it.
The auth service adds the subject here (TTL = longest access-token lifetime + leeway) and
every service's auth middleware checks it. If Redis is unreachable the check fails open
(logged): the owner's rows and files are already gone, and the records service refuses to
re-create a deleted owner (``deleted_subjects`` table), so nothing can be resurrected.
"""

from __future__ import annotations

import uuid

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

log = structlog.get_logger(__name__)

_KEY = "petshots:deleted-sub:"


class SubjectDenylist:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def deny(self, sub: uuid.UUID, ttl_s: int) -> None:
        await self._redis.set(f"{_KEY}{sub}", b"1", ex=ttl_s)

    async def is_denied(self, sub: uuid.UUID) -> bool:
        try:
            return bool(await self._redis.exists(f"{_KEY}{sub}"))
        except (RedisError, OSError) as exc:
            log.warning("denylist_unavailable_fail_open", error=type(exc).__name__)
            return False
