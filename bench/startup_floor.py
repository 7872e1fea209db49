"""The floor of bench/startup.py: a bare Litestar app with a ``/readyz`` and nothing else.

Started with the services' uvicorn command, it shows what Python, uvicorn and Litestar alone
cost on this machine at this moment.
"""

from __future__ import annotations

from litestar import Litestar, get


@get("/readyz", sync_to_thread=False)
def readyz() -> dict[str, str]:
    return {"status": "ok"}


def create_app() -> Litestar:
    return Litestar(route_handlers=[readyz])
