"""Bounded waiting: every wait in the local stack has a deadline."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

import httpx


class WaitTimeout(TimeoutError):
    pass


def wait_until(
    check: Callable[[], bool], *, timeout_s: float, what: str, poll_s: float = 0.2
) -> float:
    """Poll ``check`` until it is true and return the seconds that took; past the deadline
    raise ``WaitTimeout`` naming ``what``."""
    started = time.monotonic()
    deadline = started + timeout_s
    while not check():
        if time.monotonic() >= deadline:
            raise WaitTimeout(f"{what} not ready after {timeout_s:.1f} s")
        time.sleep(poll_s)
    return time.monotonic() - started


def port_open(host: str, port: int, timeout_s: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return True
    except OSError:
        return False


def http_status(url: str, timeout_s: float = 5.0) -> int:
    """The status ``url`` answers with; 0 when nothing answers."""
    try:
        return httpx.get(url, timeout=timeout_s).status_code
    except httpx.HTTPError:
        return 0


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now (the caller binds it soon after)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port
