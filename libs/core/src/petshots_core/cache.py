"""The Redis client every service shares, with short timeouts: Redis backs rate limits and
revocation checks, and a slow Redis must not make those checks the slowest part of a request."""

from __future__ import annotations

from redis.asyncio import Redis

from petshots_core.settings import Settings


def create_redis(settings: Settings) -> Redis:
    client: Redis = Redis.from_url(
        settings.redis_url,
        socket_connect_timeout=settings.redis_timeout_s,
        socket_timeout=settings.redis_timeout_s,
        health_check_interval=30,
        decode_responses=False,
    )
    return client
