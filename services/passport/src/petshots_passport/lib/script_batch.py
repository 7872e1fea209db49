"""Calls of one Redis Lua script made together share one pipeline (auto-pipelining).

redis-py sends each command on a round trip of its own, and every round trip costs the
worker a sleep and a wake-up. On the passport page each request makes one rate-limit call:
measured through the edge at 50 concurrent clients, that call cost ~200 µs of the ~700 µs of
worker CPU per request, and batched it costs next to nothing. redis-py has no auto-pipelining
(ioredis has), hence this small class.

The calls made in one turn of the event loop go out as one pipeline: one write, one reply to
wake up for. Each is still its own EVALSHA, run atomically by Redis in order, and answers only
its caller. A call that comes alone goes alone, one loop turn later: nothing waits for company.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from typing import Any, cast

from redis.asyncio import Redis
from redis.exceptions import NoScriptError, ResponseError

_Call = tuple[int, tuple[str, ...]]  # (number of keys, keys and arguments)


class ScriptBatcher:
    def __init__(self, redis: Redis, script: str) -> None:
        self._redis = redis
        self._script = script
        self._sha: str = redis.register_script(script).sha
        self._pending: list[tuple[_Call, asyncio.Future[Any]]] = []
        self._sending: set[asyncio.Task[None]] = set()  # the loop keeps only weak references

    async def __call__(self, keys: Sequence[str], args: Sequence[int | str]) -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._pending.append(((len(keys), (*keys, *map(str, args))), future))
        if len(self._pending) == 1:
            # The task's first step runs after every callback already queued in this turn:
            # the calls those make join this batch.
            task = loop.create_task(self._send())
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)
        return await future

    async def _send(self) -> None:
        batch, self._pending = self._pending, []
        try:
            results = await self._execute([call for call, _ in batch])
            again = [i for i, result in enumerate(results) if isinstance(result, NoScriptError)]
            if again:
                # Redis restarted or was flushed since the script was loaded: nothing ran.
                await self._redis.script_load(self._script)
                retried = await self._execute([batch[i][0] for i in again])
                for i, result in zip(again, retried, strict=True):
                    results[i] = result
        except asyncio.CancelledError:
            for _, future in batch:
                future.cancel()
            raise
        except Exception as exc:  # the connection failed: every caller gets the error
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), result in zip(batch, results, strict=True):
            if future.done():  # its caller was cancelled meanwhile
                continue
            if isinstance(result, Exception):
                future.set_exception(result)
            else:
                future.set_result(result)

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
