"""Fault-suite-only helpers: a storage server gone silent and a port nothing listens on.

The private PostgreSQL/Redis and service processes are shared with the benchmarks:
``petshots_testkit.processes``.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field

from petshots_devstack.waiting import free_port
from petshots_testkit.processes import LOOPBACK


@dataclass
class Blackhole:
    """A TCP port that accepts connections and never answers: a storage server gone silent."""

    port: int = 0
    _sock: socket.socket | None = None
    _held: list[socket.socket] = field(default_factory=list)
    _thread: threading.Thread | None = None
    _stopping: bool = False

    def __enter__(self) -> Blackhole:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind((LOOPBACK, 0))
        self._sock.listen(128)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()
        return self

    def _accept(self) -> None:
        assert self._sock is not None
        while not self._stopping:
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._held.append(conn)  # read nothing, answer nothing

    def __exit__(self, *exc: object) -> None:
        self._stopping = True
        if self._thread is not None:
            self._thread.join(timeout=2)
        for conn in self._held:
            conn.close()
        if self._sock is not None:
            self._sock.close()


def closed_port() -> int:
    """A loopback port nothing listens on (connection refused)."""
    return free_port()
