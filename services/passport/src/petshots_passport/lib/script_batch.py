"""Calls of one Redis Lua script made together share one pipeline (auto-pipelining).

redis-py sends each command on a round trip of its own; redis-py has no auto-pipelining
(ioredis has), hence this small class on ``LoopTurnBatcher``. On the passport page each
request makes one rate-limit call: batched, the checks of the requests in flight cost one
write and one reply to wake up for. Each call is still its own EVALSHA, run atomically by Redis
in order, and answers only its caller.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import Any, cast

from redis.asyncio import Redis
from redis.exceptions import NoScriptError, ResponseError

from petshots_passport.lib.batching import LoopTurnBatcher

_Call = tuple[int, tuple[str, ...]]  # (number of keys, keys and arguments)


class ScriptBatcher:
    def __init__(self, redis: Redis, script: str) -> None:
        self._redis = redis
        self._script = script
        self._sha: str = redis.register_script(script).sha
        self._batcher: LoopTurnBatcher[_Call, Any] = LoopTurnBatcher(self._send)

    async def __call__(self, keys: Sequence[str], args: Sequence[int | str]) -> Any:
        return await self._batcher((len(keys), (*keys, *map(str, args))))

    async def _send(self, calls: list[_Call]) -> list[Any]:
        results = await self._execute(calls)
        again = [i for i, result in enumerate(results) if isinstance(result, NoScriptError)]
        if again:
            # Redis restarted or was flushed since the script was loaded: nothing ran.
            await self._redis.script_load(self._script)
            retried = await self._execute([calls[i] for i in again])
            for i, result in zip(again, retried, strict=True):
                results[i] = result
        return results

    async def _execute(self, calls: list[_Call]) -> list[Any]:
        """Each call's result or its error; a failing connection raises."""
        if len(calls) == 1:  # a pipeline of one costs twice the plain command
            numkeys, keys_and_args = calls[0]
            try:
                reply = self._redis.evalsha(self._sha, numkeys, *keys_and_args)
                return [await cast(Awaitable[Any], reply)]  # redis-py types sync and async as one
            except ResponseError as exc:  # NOSCRIPT, or the script failed: this call's answer
                return [exc]
        async with self._redis.pipeline(transaction=False) as pipe:
            for numkeys, keys_and_args in calls:
                pipe.evalsha(self._sha, numkeys, *keys_and_args)
            results: list[Any] = await pipe.execute(raise_on_error=False)
            return results
