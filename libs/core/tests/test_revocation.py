"""The deny list of deleted subjects: checked in memory, and still "at once".

Every test runs against a private redis-server (killing its connections or stopping it must
not disturb anyone else's). A "follower" is a service process's list (it subscribes); the
"denier" is the auth service's.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import structlog
from redis.asyncio import Redis

from petshots_core.revocation import SubjectDenylist
from petshots_testkit.processes import PrivateRedis

TTL_S = 3600


@pytest.fixture(scope="module")
def private_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateRedis]:
    server = PrivateRedis(Path(tmp_path_factory.mktemp("denylist-redis")))
    server.start()
    yield server
    server.stop()


def client(server: PrivateRedis) -> Redis:
    return Redis(host="127.0.0.1", port=server.port, socket_timeout=0.5, socket_connect_timeout=0.5)


@pytest.fixture
async def denier(private_redis: PrivateRedis) -> AsyncIterator[SubjectDenylist]:
    redis = client(private_redis)
    yield SubjectDenylist(redis, ack_timeout_s=2.0)
    await redis.aclose()


@pytest.fixture
async def make_follower(
    private_redis: PrivateRedis,
) -> AsyncIterator[Callable[..., SubjectDenylist]]:
    made: list[tuple[SubjectDenylist, Redis]] = []

    def make(**kw: Any) -> SubjectDenylist:
        redis = client(private_redis)
        options: dict[str, Any] = {"ping_interval_s": 0.5, "retry_s": 0.1, **kw}
        follower = SubjectDenylist(redis, subscriber=client(private_redis), **options)
        made.append((follower, redis))
        return follower

    yield make
    for follower, redis in made:
        await follower.stop()
        await redis.aclose()


def no_round_trips(follower: SubjectDenylist) -> list[uuid.UUID]:
    """Make the follower's per-request Redis check fail the test if it is ever used."""
    asked: list[uuid.UUID] = []

    async def exists(*keys: str) -> int:
        asked.append(uuid.UUID(keys[0].rsplit(":", 1)[1]))
        raise AssertionError("the deny list asked Redis for a request")

    follower._redis.exists = exists  # type: ignore[method-assign,assignment]
    return asked


async def until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)


async def live(*followers: SubjectDenylist) -> None:
    for follower in followers:
        await follower.start()
    await until(lambda: all(f.live for f in followers))


async def test_when_deny_returns_every_live_follower_refuses_the_subject_without_redis(
    denier: SubjectDenylist, make_follower: Callable[..., SubjectDenylist]
) -> None:
    records, passport = make_follower(), make_follower()
    await live(records, passport)
    asked = [*no_round_trips(records), *no_round_trips(passport)]
    # A busy process takes a while to get to the message; deny must wait for it.
    received = passport._received

    async def slowly(client: Redis, message: dict[str, Any]) -> None:
        await asyncio.sleep(0.3)
        await received(client, message)

    passport._received = slowly  # type: ignore[method-assign]
    stays, leaves = uuid.uuid4(), uuid.uuid4()
    assert not await records.is_denied(leaves)

    await denier.deny(leaves, TTL_S)
    # No sleep, no yield to the listeners: the acks are what deny waited for.
    assert await records.is_denied(leaves) and await passport.is_denied(leaves)
    assert not await records.is_denied(stays) and not await passport.is_denied(stays)
    assert asked == []


async def test_a_follower_that_is_not_live_asks_redis_per_request(
    denier: SubjectDenylist, make_follower: Callable[..., SubjectDenylist]
) -> None:
    unstarted = make_follower()  # as in a test without lifespan, or while (re)subscribing
    leaves = uuid.uuid4()
    await denier.deny(leaves, TTL_S)
    assert not unstarted.live
    assert await unstarted.is_denied(leaves)
    assert not await unstarted.is_denied(uuid.uuid4())


async def test_a_lost_subscription_falls_back_then_reloads_the_list(
    denier: SubjectDenylist,
    make_follower: Callable[..., SubjectDenylist],
    private_redis: PrivateRedis,
) -> None:
    follower = make_follower(retry_s=1.0)
    await live(follower)
    admin = client(private_redis)
    try:
        with structlog.testing.capture_logs() as logs:
            for _ in range(2):  # two outages: each is logged once, and so is its end
                await admin.client_kill_filter(_type="pubsub")
                await until(lambda: not follower.live)
                # Denied while the follower is away (it waits 1 s before subscribing again)
                missed = uuid.uuid4()
                await denier.deny(missed, TTL_S)
                assert not follower.live
                assert await follower.is_denied(missed)  # ... so it asks Redis meanwhile,
                # and has it in memory once it follows again (loaded on subscribe).
                await until(lambda: follower.live)
                asked = no_round_trips(follower)
                assert await follower.is_denied(missed)
                assert asked == []
                del follower._redis.exists  # the client's own method again
        assert [e["event"] for e in logs if e["event"].startswith("denylist_subscription")] == [
            "denylist_subscription_lost",
            "denylist_subscription_restored",
        ] * 2
    finally:
        await admin.aclose()


async def test_a_silent_subscription_is_noticed_by_its_pings(
    make_follower: Callable[..., SubjectDenylist], private_redis: PrivateRedis
) -> None:
    follower = make_follower()
    await live(follower)
    admin = client(private_redis)
    try:
        # Redis stops answering for 2 s (as a dead peer would) without closing anything.
        await admin.execute_command("CLIENT", "PAUSE", "2000", "ALL")  # type: ignore[no-untyped-call]
    finally:
        await admin.aclose()
    await until(lambda: not follower.live, timeout_s=1.9)
    await until(lambda: follower.live)


async def test_deny_gives_up_on_a_follower_that_never_acknowledges(
    private_redis: PrivateRedis,
) -> None:
    redis, mute = client(private_redis), client(private_redis)
    denier = SubjectDenylist(redis, ack_timeout_s=0.3)
    try:
        async with mute.pubsub() as pubsub:  # receives, never acks (a wedged process)
            await pubsub.subscribe("petshots:deleted-subs")
            await pubsub.get_message(timeout=1)
            with structlog.testing.capture_logs() as logs:
                started = time.monotonic()
                await denier.deny(uuid.uuid4(), TTL_S)
                took = time.monotonic() - started
        assert 0.3 <= took < 1.5
        assert [entry["event"] for entry in logs] == ["denylist_ack_timeout"]
        assert logs[0]["receivers"] == 1 and logs[0]["acked"] == 0
    finally:
        await redis.aclose()
        await mute.aclose()


async def test_redis_down_fails_open_but_known_subjects_stay_denied(
    denier: SubjectDenylist,
    make_follower: Callable[..., SubjectDenylist],
    private_redis: PrivateRedis,
) -> None:
    follower = make_follower()
    await live(follower)
    known = uuid.uuid4()
    await denier.deny(known, TTL_S)
    private_redis.stop()
    try:
        await until(lambda: not follower.live)
        with structlog.testing.capture_logs() as logs:
            assert await follower.is_denied(known)
            assert not await follower.is_denied(uuid.uuid4())
        assert [entry["event"] for entry in logs] == ["denylist_unavailable_fail_open"]
    finally:
        private_redis.start()
    await until(lambda: follower.live)
    no_round_trips(follower)
    assert await follower.is_denied(known)  # Redis restarted empty; the process remembers
    stranger = uuid.uuid4()
    await denier.deny(stranger, TTL_S)
    assert await follower.is_denied(stranger)


async def test_an_entry_lapses_with_its_ttl(
    denier: SubjectDenylist, make_follower: Callable[..., SubjectDenylist]
) -> None:
    follower = make_follower()
    await live(follower)
    brief = uuid.uuid4()
    await denier.deny(brief, 1)
    assert await follower.is_denied(brief)
    await asyncio.sleep(1.1)
    assert not await follower.is_denied(brief)
