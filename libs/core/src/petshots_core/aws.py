"""boto3 clients made on their first call, not at start-up.

Importing boto3 and making a client cost ~0.1 to 0.2 s of CPU (docs/performance.md), which a
service need not spend before it serves: most clients (SES, Cognito, Secrets Manager) are
first needed by some later request. :func:`client_on_first_call` hands out a stand-in that
makes the client when an operation is first *called* — in the caller's worker thread, since
every call goes through ``anyio.to_thread`` — so the event loop never waits for boto3.
``Storage`` makes its three S3 clients through the same class, from one session.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class ClientOnFirstCall:
    """Stands in for a boto3 client: ``stand_in.operation(**kwargs)`` makes the client once
    (thread-safe), then calls it. Getting the attribute alone makes nothing, so
    ``run_sync(stand_in.operation, …)`` pays in the worker thread."""

    def __init__(self, make: Callable[[], Any], *, lock: threading.Lock | None = None) -> None:
        """``lock``: shared by stand-ins whose ``make`` uses one boto3 session, which must not
        make two clients at once."""
        self._make = make
        self._client: Any = None
        self._lock = lock or threading.Lock()

    def client(self) -> Any:
        """The real client (made now if it was not yet)."""
        client = self._client
        if client is not None:
            return client
        with self._lock:
            if self._client is None:
                self._client = self._make()
            return self._client

    def __getattr__(self, operation: str) -> Callable[..., Any]:
        def call(**kwargs: Any) -> Any:
            return getattr(self.client(), operation)(**kwargs)

        return call


def client_on_first_call(
    service: str, *, region: str, endpoint_url: str | None, **config: Any
) -> Any:
    """A stand-in for a ``service`` client of its own boto3 session; ``config`` holds
    botocore ``Config`` arguments (timeouts, retries). Typed ``Any``: the caller declares the
    client type it stands in for."""

    def make() -> Any:
        import boto3
        from botocore.config import Config

        session: Any = boto3.session.Session()  # its stubs want a literal service name
        return session.client(
            service, region_name=region, endpoint_url=endpoint_url, config=Config(**config)
        )

    return ClientOnFirstCall(make)
