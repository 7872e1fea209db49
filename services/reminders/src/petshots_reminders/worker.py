"""The arq worker with its crons, and a small health server beside it in the same loop.

Liveness: ``GET :8104/healthz`` answers while the event loop runs; ``petshots-reminders
check`` is arq's own health check (the sentinel key the worker refreshes). On SIGTERM arq
stops taking jobs and waits up to ``reminders_drain_timeout_s`` for running ones.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import Any

import uvicorn
from arq import cron
from arq.connections import RedisSettings
from arq.worker import Worker, async_check_health

from petshots_core.cache import create_redis
from petshots_core.web.app import create_service_app
from petshots_core.web.health import Check
from petshots_reminders.jobs import (
    FUNCTIONS,
    housekeeping,
    plan_daily,
    poll_bounces,
    shutdown,
    startup,
)
from petshots_reminders.settings import RemindersSettings

HEALTH_CHECK_INTERVAL_S = 30


class _EmbeddedServer(uvicorn.Server):
    """uvicorn inside the worker's loop: arq owns SIGTERM/SIGINT, so uvicorn must not."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def redis_settings(settings: RemindersSettings) -> RedisSettings:
    return RedisSettings.from_dsn(settings.redis_url)


def build_worker(settings: RemindersSettings, **overrides: Any) -> Worker:
    options: dict[str, Any] = {
        "functions": FUNCTIONS,
        "cron_jobs": [
            cron(
                plan_daily,
                hour={settings.reminders_cron_hour},
                minute={settings.reminders_cron_minute},
                unique=True,
                run_at_startup=False,
            ),
            cron(housekeeping, minute={7, 37}, unique=True),
            cron(poll_bounces, minute=set(range(0, 60, 5)), unique=True),
        ],
        "redis_settings": redis_settings(settings),
        "on_startup": startup,
        "on_shutdown": shutdown,
        "ctx": {"settings": settings},
        "max_tries": settings.reminders_max_attempts + 1,
        "job_timeout": settings.reminders_job_timeout_s,
        "job_completion_wait": settings.reminders_drain_timeout_s,
        "health_check_interval": HEALTH_CHECK_INTERVAL_S,
        "max_jobs": 20,
    }
    options.update(overrides)
    return Worker(**options)


def health_app(settings: RemindersSettings) -> Any:
    redis = create_redis(settings)

    async def redis_ping() -> None:
        await redis.ping()

    checks: dict[str, Check] = {"redis": redis_ping}
    return create_service_app(
        settings=settings,
        title="Petshots reminders worker",
        openapi_path="/schema",
        route_handlers=[],
        extra_checks=checks,
        authenticated=False,
        on_shutdown=[redis.aclose],
    )


async def run(settings: RemindersSettings) -> None:
    worker = build_worker(settings)
    server = _EmbeddedServer(
        uvicorn.Config(
            health_app(settings),
            host="0.0.0.0",  # noqa: S104 - probed by the kubelet from outside the pod
            port=settings.reminders_health_port,
            log_level="warning",
            access_log=False,
        )
    )
    health = asyncio.create_task(server.serve())
    try:
        await worker.async_run()
    finally:
        server.should_exit = True
        with contextlib.suppress(Exception):
            await health
        await worker.close()


async def check(settings: RemindersSettings) -> int:
    return await async_check_health(redis_settings(settings))
