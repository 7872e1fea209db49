"""``/healthz`` (the process is alive) and ``/readyz`` (its dependencies answer)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import structlog
from litestar import Controller, MediaType, Response, get
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_core.web.auth import PUBLIC

log = structlog.get_logger(__name__)

Check = Callable[[], Awaitable[object]]
CHECK_TIMEOUT_S = 2.0


def database_check(engine: AsyncEngine) -> Check:
    async def check() -> None:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    return check


async def _run(name: str, check: Check) -> tuple[str, bool]:
    try:
        await asyncio.wait_for(check(), CHECK_TIMEOUT_S)
    except Exception as exc:
        log.warning("readiness_check_failed", check=name, error=type(exc).__name__)
        return name, False
    return name, True


def health_controller(checks: Mapping[str, Check]) -> type[Controller]:
    class HealthController(Controller):
        opt = PUBLIC
        include_in_schema = False

        @get("/healthz", operation_id="healthz", media_type=MediaType.JSON, cache=False)
        async def healthz(self) -> dict[str, str]:
            """Liveness: the process answers."""
            return {"status": "ok"}

        @get("/readyz", operation_id="readyz", media_type=MediaType.JSON, cache=False)
        async def readyz(self) -> Response[dict[str, Any]]:
            """Readiness: every dependency of this service answers within a bound."""
            results = dict(await asyncio.gather(*(_run(n, c) for n, c in checks.items())))
            ready = all(results.values())
            return Response(
                {"status": "ok" if ready else "unavailable",
                 "checks": {n: "ok" if ok else "failed" for n, ok in results.items()}},
                status_code=200 if ready else 503,
            )

    return HealthController
