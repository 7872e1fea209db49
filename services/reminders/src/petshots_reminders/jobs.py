"""The arq functions of the worker. ``ctx`` holds the clients built once in ``startup``."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from arq.worker import Retry, func

from petshots_core.db import create_engine
from petshots_core.mail import create_sender
from petshots_core.owner_purge import purge_owner_objects, requeue_pending_purges
from petshots_core.pending_uploads import purge_stale_pending
from petshots_core.storage import Storage
from petshots_reminders.bounces import SqsBounceQueue, ingest_bounces
from petshots_reminders.clock import RunClock
from petshots_reminders.housekeeping import prune_view_logs
from petshots_reminders.planner import SEND_DIGEST_JOB, enqueue_digests
from petshots_reminders.sending import Outcome, send_digest
from petshots_reminders.settings import RemindersSettings, get_settings

log = structlog.get_logger(__name__)

Ctx = dict[str, Any]


async def startup(ctx: Ctx) -> None:
    settings: RemindersSettings = ctx.get("settings") or get_settings()
    ctx["settings"] = settings
    ctx.setdefault("engine", create_engine(settings))
    ctx.setdefault("storage", Storage(settings))
    ctx.setdefault("sender", create_sender(settings))
    if settings.bounce_queue_url and "bounce_queue" not in ctx:
        ctx["bounce_queue"] = SqsBounceQueue(
            settings.bounce_queue_url,
            region=settings.ses_region,
            endpoint_url=settings.sqs_endpoint_url,
        )


async def shutdown(ctx: Ctx) -> None:
    engine = ctx.get("engine")
    if engine is not None:
        await engine.dispose()


async def send_digest_job(ctx: Ctx, owner_id: str, run_date: str, instant: str) -> str:
    settings: RemindersSettings = ctx["settings"]
    result = await send_digest(
        ctx["engine"],
        ctx["sender"],
        settings,
        uuid.UUID(owner_id),
        RunClock.from_job(run_date, instant),
    )
    if result.outcome is Outcome.RETRY:
        # Exponential backoff; the digest row counts attempts, arq only schedules them.
        raise Retry(defer=settings.reminders_retry_base_s * 2 ** (result.attempts - 1))
    return result.outcome.value


async def plan_daily(ctx: Ctx) -> int:
    planned = await enqueue_digests(
        ctx["engine"],
        ctx["redis"],
        RunClock.now(),
        concurrency=ctx["settings"].reminders_enqueue_concurrency,
    )
    log.info("digests_planned", owners=planned)
    return planned


async def housekeeping(ctx: Ctx) -> dict[str, int]:
    settings: RemindersSettings = ctx["settings"]
    return {
        "pending_uploads": await purge_stale_pending(
            ctx["engine"], ctx["storage"], settings.pending_doc_max_age_s
        ),
        "purges_requeued": await requeue_pending_purges(ctx),
        "view_logs": await prune_view_logs(ctx["engine"], settings.view_log_retention_days),
    }


async def poll_bounces(ctx: Ctx) -> int:
    queue = ctx.get("bounce_queue")
    return 0 if queue is None else await ingest_bounces(ctx["engine"], queue)


FUNCTIONS = [func(send_digest_job, name=SEND_DIGEST_JOB), func(purge_owner_objects)]
