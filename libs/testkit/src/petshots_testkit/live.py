"""An ASGI app served by uvicorn over real HTTP on a free loopback port, in its own thread.

For tests that need what the in-process transport cannot give: a real peer address (rate
limits, trusted proxies), real sockets, a server another process can reach.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn

from petshots_devstack.waiting import free_port


class LiveServer:
    def __init__(self, app: Any, *, proxy_headers: bool = False) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(
                app,
                host="127.0.0.1",
                port=self.port,
                log_level="warning",
                lifespan="on",
                # The app decides who the client is (trusted proxies); uvicorn must not.
                proxy_headers=proxy_headers,
            )
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        with socket.create_connection(("127.0.0.1", self.port), timeout=2):
            pass
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
