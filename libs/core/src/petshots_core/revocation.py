"""Deleted owners' subjects: their still-unexpired access tokens must stop working at once.

An access token is self-contained for up to an hour; deleting the account cannot recall it.
The auth service puts the subject on this deny list (for the longest access-token lifetime +
leeway) and every service's auth middleware checks it on every request.

The check is local: each process keeps the deny list in memory, fed by Redis pub/sub, so a
request costs a dict lookup rather than a Redis round trip. "At once" still holds because
``deny`` does not return until every process that received the subject has acknowledged it
(``PUBLISH`` says how many received it; each pushes an ack once the subject is in its set). A
process whose subscription is not live — starting, reconnecting, or never started, as in a
test without lifespan — asks Redis per request as before, so nothing is missed in between: a
(re)subscription loads the whole list again (after ``SUBSCRIBE`` is confirmed, so a deletion
racing the load arrives as a message) before the process trusts its set again. A silent
subscription (a dead peer that sends no FIN) is noticed by a ping every few seconds.

If Redis is unreachable the per-request check fails open (logged): the owner's rows and files
are already gone, and the records service refuses to re-create a deleted owner
(``deleted_subjects`` table), so nothing can be resurrected. Subjects already in a process's
set stay denied through an outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from petshots_core.cache import create_redis
from petshots_core.settings import Settings

log = structlog.get_logger(__name__)

_KEY = "petshots:deleted-sub:"  # + sub, with a TTL: what the per-request fallback reads
_LIST = "petshots:deleted-subs"  # sorted set, sub → expiry (epoch s): loaded on (re)subscribe
_CHANNEL = "petshots:deleted-subs"  # "<ack id> <sub> <expiry>" per deletion
_ACK = "petshots:deleted-sub-ack:"  # + ack id: a list every receiving process pushes to
_ACK_TTL_S = 60

ACK_TIMEOUT_S = 2.0
PING_INTERVAL_S = 5.0
RETRY_S = 1.0


class SubjectDenylist:
    def __init__(
        self,
        redis: Redis,
        *,
        subscriber: Redis | None = None,
        block_s: float = 0.25,
        ack_timeout_s: float = ACK_TIMEOUT_S,
        ping_interval_s: float = PING_INTERVAL_S,
        retry_s: float = RETRY_S,
    ) -> None:
        """``redis`` serves requests; ``subscriber`` (a client of its own) the listener.

        The listener gets its own client because it may run on another event loop than the
        requests (Litestar's test client runs lifespan hooks in a portal thread), and a Redis
        connection pool must not be shared across loops.
        """
        self._redis = redis
        self._subscriber = subscriber
        self._ack_timeout_s = ack_timeout_s
        self._ping_interval_s = ping_interval_s
        self._retry_s = retry_s
        self._denied: dict[uuid.UUID, float] = {}
        self._live = False
        self._task: asyncio.Task[None] | None = None
        self._block_s = block_s

    @classmethod
    def from_settings(cls, settings: Settings, redis: Redis) -> SubjectDenylist:
        return cls(
            redis,
            subscriber=create_redis(settings),
            # A blocking pop must answer within the client's socket timeout.
            block_s=min(0.25, settings.redis_timeout_s / 2),
        )

    @property
    def live(self) -> bool:
        """Whether the in-memory list is complete (the subscription is up and loaded)."""
        return self._live

    # -- the auth service's side -----------------------------------------------------------

    async def deny(self, sub: uuid.UUID, ttl_s: int) -> None:
        """Deny ``sub`` everywhere; returns once every subscribed process has it (or after
        ``ack_timeout_s``, logged, for a process that does not answer)."""
        now = time.time()
        expires = now + ttl_s
        ack_id = uuid.uuid4().hex
        self._remember(sub, expires)  # this process at least, even if Redis fails below
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(f"{_KEY}{sub}", b"1", ex=ttl_s)
            pipe.zadd(_LIST, {str(sub): expires})
            pipe.zremrangebyscore(_LIST, "-inf", now)  # what lapsed: the list stays small
            pipe.publish(_CHANNEL, f"{ack_id} {sub} {expires}")
            *_, receivers = await pipe.execute()
        await self._await_acks(ack_id, int(receivers))

    async def _await_acks(self, ack_id: str, receivers: int) -> None:
        key = f"{_ACK}{ack_id}"
        acked = 0
        deadline = time.monotonic() + self._ack_timeout_s
        try:
            while acked < receivers:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    log.warning("denylist_ack_timeout", receivers=receivers, acked=acked)
                    return
                # Seconds as a float (Redis >= 6); redis-py's blpop is typed for whole seconds.
                timeout = f"{min(remaining, self._block_s):.3f}"
                popped = await self._redis.execute_command(  # type: ignore[no-untyped-call]
                    "BLPOP", key, timeout
                )
                if popped is not None:
                    acked += 1
        finally:
            with contextlib.suppress(RedisError, OSError):
                await self._redis.delete(key)

    # -- every service's side --------------------------------------------------------------

    async def is_denied(self, sub: uuid.UUID) -> bool:
        expires = self._denied.get(sub)
        if expires is not None and expires > time.time():
            return True
        if self._live:
            return False
        try:
            return bool(await self._redis.exists(f"{_KEY}{sub}"))
        except (RedisError, OSError) as exc:
            log.warning("denylist_unavailable_fail_open", error=type(exc).__name__)
            return False

    async def start(self) -> None:
        """Start following the list (an app's on_startup hook); no-op without a subscriber."""
        if self._subscriber is not None and self._task is None:
            self._task = asyncio.create_task(self._follow(), name="denylist-subscriber")

    async def stop(self) -> None:
        self._live = False
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._subscriber is not None:
            await self._subscriber.aclose()

    async def _follow(self) -> None:
        assert self._subscriber is not None
        retrying = False
        while True:
            try:
                await self._subscribed(self._subscriber, retrying=retrying)
            except Exception as exc:  # any failure: back to asking Redis per request, retry
                if self._live or not retrying:  # logged once per outage, not per attempt
                    log.warning("denylist_subscription_lost", error=type(exc).__name__)
                retrying = True
            finally:
                self._live = False
            await asyncio.sleep(self._retry_s)

    async def _subscribed(self, client: Redis, *, retrying: bool) -> None:
        loop = asyncio.get_running_loop()
        async with client.pubsub() as pubsub:
            await pubsub.subscribe(_CHANNEL)
            confirmed = await pubsub.get_message(timeout=self._ping_interval_s)
            if not confirmed or confirmed["type"] != "subscribe":
                raise TimeoutError("no subscription confirmation")
            await self._load(client)
            self._live = True
            if retrying:
                log.info("denylist_subscription_restored")
            heard = loop.time()
            while True:
                message = await pubsub.get_message(timeout=self._ping_interval_s)
                now = loop.time()
                if message is None:
                    if now - heard > 2 * self._ping_interval_s:
                        raise TimeoutError("the subscription went silent")
                    await pubsub.ping()
                    continue
                heard = now
                if message["type"] == "message":
                    await self._received(client, message)

    async def _load(self, client: Redis) -> None:
        now = time.time()
        entries = await client.zrangebyscore(_LIST, now, "+inf", withscores=True)
        for member, score in entries:
            with contextlib.suppress(ValueError):
                self._remember(uuid.UUID(_text(member)), float(score))
        self._prune()

    async def _received(self, client: Redis, message: dict[str, Any]) -> None:
        try:
            ack_id, sub, expires = _text(message["data"]).split(" ")
            self._remember(uuid.UUID(sub), float(expires))
        except ValueError:
            log.warning("denylist_message_malformed")
            return
        self._prune()
        async with client.pipeline(transaction=False) as pipe:
            pipe.rpush(f"{_ACK}{ack_id}", b"1")
            pipe.expire(f"{_ACK}{ack_id}", _ACK_TTL_S)
            await pipe.execute()

    def _remember(self, sub: uuid.UUID, expires: float) -> None:
        self._denied[sub] = max(expires, self._denied.get(sub, 0.0))

    def _prune(self) -> None:
        # A new dict, not deletions: requests may read it from another thread meanwhile.
        now = time.time()
        self._denied = {s: e for s, e in self._denied.items() if e > now}


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
