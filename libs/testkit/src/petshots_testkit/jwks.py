"""A JWKS served over HTTP that remembers when it was fetched, per path.

Give each service its own path and the fetches of each are counted separately: the proof that
a stranger's ``kid`` does not turn into a stream of outbound requests.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


class CountingJwks:
    def __init__(self, jwks: Callable[[], dict[str, Any]]) -> None:
        self._jwks = jwks
        self._fetches: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self.server = HTTPServer(host="127.0.0.1", port=0)

    def start(self) -> CountingJwks:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.clear()
        if self.server.is_running():
            self.server.stop()

    def url(self, name: str) -> str:
        """The JWKS URL for one consumer; fetches of it are counted under ``name``."""
        path = f"/{name}/jwks.json"
        with self._lock:
            if name not in self._fetches:
                self._fetches[name] = []
                self.server.expect_request(path).respond_with_handler(self._handler(name))
        return self.server.url_for(path)

    def _handler(self, name: str) -> Callable[[Request], Response]:
        def respond(_: Request) -> Response:
            with self._lock:
                self._fetches[name].append(time.monotonic())
            return Response(json.dumps(self._jwks()), content_type="application/json")

        return respond

    def fetches(self, name: str, since: float = 0.0) -> list[float]:
        """Monotonic times of the fetches of ``name``'s URL at or after ``since``."""
        with self._lock:
            return [t for t in self._fetches.get(name, []) if t >= since]
