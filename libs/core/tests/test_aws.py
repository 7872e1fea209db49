"""A boto3 client stand-in makes its client on the first call, once, whatever the threads."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from petshots_core.aws import ClientOnFirstCall


class Client:
    def echo(self, **kwargs: Any) -> dict[str, Any]:
        return kwargs


def test_the_client_is_made_by_the_first_call_and_only_once() -> None:
    made: list[Client] = []
    gate = threading.Event()

    def make() -> Client:
        gate.wait(5)  # let every thread reach the lock first
        made.append(Client())
        return made[-1]

    stand_in = ClientOnFirstCall(make)
    operation = stand_in.echo  # taking the operation makes nothing (it runs on the loop)
    assert made == []
    with ThreadPoolExecutor(8) as pool:
        answers = [pool.submit(operation, n=n) for n in range(8)]
        gate.set()
        assert [a.result() for a in answers] == [{"n": n} for n in range(8)]
    assert len(made) == 1
    assert stand_in.client() is made[0]
