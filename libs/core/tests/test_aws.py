"""A boto3 client stand-in makes its client on the first call, once, whatever the threads."""

from __future__ import annotations

import threading
import time
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


def test_stand_ins_sharing_a_lock_never_make_two_clients_at_once() -> None:
    """What Storage relies on: its three S3 clients come from one boto3 session."""
    lock = threading.Lock()
    making = 0
    overlapped = False

    def make() -> Client:
        nonlocal making, overlapped
        making += 1
        overlapped = overlapped or making > 1
        time.sleep(0.02)  # a client takes a while to make: room for another to start
        making -= 1
        return Client()

    stand_ins = [ClientOnFirstCall(make, lock=lock) for _ in range(3)]
    with ThreadPoolExecutor(6) as pool:
        clients = list(pool.map(lambda i: stand_ins[i % 3].client(), range(6)))
    assert not overlapped
    assert len({id(c) for c in clients}) == 3  # one client per stand-in, each made once
