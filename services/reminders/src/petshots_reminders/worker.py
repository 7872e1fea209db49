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

import structlog
import uvicorn
from arq import cron
from arq.connections import RedisSettings
from arq.worker import Worker, async_check_health
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.exceptions import WatchError

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
# Backoff while Redis is unreachable; a run that lasted this long resets it.
REDIS_RETRY_MIN_S = 0.5
REDIS_RETRY_MAX_S = 10.0
REDIS_RETRY_RESET_AFTER_S = 30.0

log = structlog.get_logger(__name__)


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
            host=settings.reminders_health_host,
            port=settings.reminders_health_port,
            log_level="warning",
            access_log=False,
        )
    )
    health = asyncio.create_task(server.serve())
    try:
        await ride_out_redis_outages(worker)
    finally:
        server.should_exit = True
        with contextlib.suppress(Exception):
            await health
        await worker.close()


async def ride_out_redis_outages(worker: Worker) -> None:
    """arq's main loop ends at the first Redis error, and with it the process. A Redis restart
    or failover must not stop the worker: it waits (with backoff) and carries on in the same
    process. Jobs running meanwhile finish their database and mail work; the digest rows, not
    Redis, decide whether anything is sent again, so a re-queued job finds its row settled.

    The wait runs as ``worker.main_task`` so arq's SIGTERM/SIGINT handlers still stop it.
    """
    delay = REDIS_RETRY_MIN_S
    loop = asyncio.get_running_loop()
    while True:
        started = loop.time()
        worker.main_task = asyncio.ensure_future(worker.main())
        try:
            await worker.main_task
            return
        except Exception as exc:
            if not is_redis_outage(exc):
                raise
            if loop.time() - started >= REDIS_RETRY_RESET_AFTER_S:
                delay = REDIS_RETRY_MIN_S
            # Jobs whose bookkeeping in Redis failed: their outcome is in the database.
            for job_id, task in list(worker.tasks.items()):
                if task.done():
                    del worker.tasks[job_id]
                    if not task.cancelled() and task.exception() is not None:
                        log.warning("job_bookkeeping_lost", job_id=job_id)
            log.warning("worker_redis_unavailable", error=type(exc).__name__, retry_in_s=delay)
        worker.main_task = asyncio.ensure_future(asyncio.sleep(delay))
        await worker.main_task
        delay = min(delay * 2, REDIS_RETRY_MAX_S)


def is_redis_outage(exc: BaseException) -> bool:
    """A lost or refused connection. One met while arq WATCHes a job's keys reaches us as
    redis-py's WatchError, raised while handling the connection error."""
    if isinstance(exc, WatchError):
        exc = exc.__cause__ or exc.__context__ or exc
    return isinstance(exc, RedisConnectionError | RedisTimeoutError | OSError)


async def check(settings: RemindersSettings) -> int:
    return await async_check_health(redis_settings(settings))
