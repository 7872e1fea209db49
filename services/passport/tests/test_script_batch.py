"""Rate-limit checks made together share one Redis pipeline, each answered on its own."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

from petshots_core.settings import Settings
from petshots_passport.lib.script_batch import ScriptBatcher

# A script of its own per run: its SHA is not loaded yet, so the first batch meets NOSCRIPT.
INCR = "-- {tag}\nreturn redis.call('INCR', KEYS[1]) + tonumber(ARGV[1])"


@pytest.fixture
async def redis(settings: Settings) -> AsyncIterator[Redis]:
    client: Redis = Redis.from_url(settings.redis_url, socket_timeout=5)
    yield client
    await client.aclose()


@pytest.fixture
def key() -> str:
    return f"petshots:test:batch:{uuid.uuid4().hex}"


def batches_of(batcher: ScriptBatcher, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every pipeline the batcher sends."""
    sizes: list[int] = []
    execute = batcher._execute

    async def counting(calls: Any) -> list[Any]:
        sizes.append(len(calls))
        return await execute(calls)

    monkeypatch.setattr(batcher, "_execute", counting)
    return sizes


async def test_calls_in_one_loop_turn_share_a_pipeline_and_get_their_own_answers(
    redis: Redis, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    batcher = ScriptBatcher(redis, INCR.format(tag=uuid.uuid4()))
    sizes = batches_of(batcher, monkeypatch)
    try:
        answers = await asyncio.gather(*(batcher([key], [1000 * i]) for i in range(20)))
        # Redis ran them in the order they were made: call i saw the counter at i + 1.
        assert answers == [1000 * i + i + 1 for i in range(20)]
        # The script was not loaded: the batch met NOSCRIPT, loaded it and was sent again.
        assert sizes == [20, 20]
        assert await batcher([key], [0]) == 21  # alone: a batch of one, no reload
        assert sizes == [20, 20, 1]
    finally:
        await redis.delete(key)


async def test_a_lone_call_goes_alone_and_loads_the_script_too(
    redis: Redis, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    batcher = ScriptBatcher(redis, INCR.format(tag=uuid.uuid4()))
    sizes = batches_of(batcher, monkeypatch)
    try:
        assert await batcher([key], [0]) == 1
        assert await batcher([key], [0]) == 2
        assert sizes == [1, 1, 1]  # NOSCRIPT and its retry, then one
    finally:
        await redis.delete(key)


async def test_one_failing_call_fails_alone(redis: Redis, key: str) -> None:
    batcher = ScriptBatcher(redis, INCR.format(tag=uuid.uuid4()))
    wrong = f"{key}:list"
    await redis.rpush(wrong, "x")  # type: ignore[misc]  # INCR on a list: WRONGTYPE
    try:
        good: Any
        bad: Any
        good, bad = await asyncio.gather(
            batcher([key], [0]), batcher([wrong], [0]), return_exceptions=True
        )
        assert good == 1
        assert isinstance(bad, ResponseError) and "WRONGTYPE" in str(bad)
    finally:
        await redis.delete(key, wrong)


async def test_a_caller_that_goes_away_does_not_disturb_the_others(redis: Redis, key: str) -> None:
    batcher = ScriptBatcher(redis, INCR.format(tag=uuid.uuid4()))
    try:
        leaving = asyncio.ensure_future(batcher([key], [0]))
        staying = asyncio.ensure_future(batcher([key], [0]))
        await asyncio.sleep(0)  # both queued, the batch on its way
        leaving.cancel()
        assert await staying in (1, 2)
        with pytest.raises(asyncio.CancelledError):
            await leaving
    finally:
        await redis.delete(key)


async def test_no_redis_every_caller_gets_the_error() -> None:
    unreachable: Redis = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1)
    batcher = ScriptBatcher(unreachable, INCR.format(tag="x"))
    try:
        results = await asyncio.gather(
            *(batcher(["k"], [0]) for _ in range(3)), return_exceptions=True
        )
        assert all(isinstance(r, RedisConnectionError) for r in results), results
    finally:
        await unreachable.aclose()
