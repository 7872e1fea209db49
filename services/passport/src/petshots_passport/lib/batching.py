"""Requests made in one turn of the event loop share one round trip to a server.

On the passport page every round trip (Redis, Postgres) costs the worker a sleep and a
wake-up, and the server one more wake-up of its own: under load that costs more CPU than the
work asked for. ``LoopTurnBatcher`` hands every item submitted during one turn of the event
loop to one ``send`` call, which answers each item separately (a result or an exception).
A lone item goes alone, one loop turn later: nothing waits for company.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

Send = Callable[[list[T]], Awaitable[list[R | Exception]]]


class LoopTurnBatcher(Generic[T, R]):
    def __init__(self, send: Send[T, R]) -> None:
        """``send(items)`` answers each item, in order; if it raises, every item gets that."""
        self._send = send
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._sending: set[asyncio.Task[None]] = set()  # the loop keeps only weak references

    async def __call__(self, item: T) -> R:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self._pending.append((item, future))
        if len(self._pending) == 1:
            # The task's first step runs after every callback already queued in this turn:
            # the items those submit join this batch.
            task = loop.create_task(self._flush())
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)
        return await future

    async def _flush(self) -> None:
        batch, self._pending = self._pending, []
        try:
            results = await self._send([item for item, _ in batch])
        except asyncio.CancelledError:
            for _, future in batch:
                future.cancel()
            raise
        except Exception as exc:  # e.g. the connection failed: every caller gets the error
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
