"""``petshots-reminders``: ``worker`` (arq with its crons), ``run-once``, ``check``.

The product's modules are imported once the command is known, so that ``worker`` can pause
the cyclic collector before them, as a server does (petshots_core.start_up).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date, time
from typing import TYPE_CHECKING

from petshots_core.start_up import pause_gc

if TYPE_CHECKING:
    from petshots_reminders.clock import RunClock
    from petshots_reminders.sending import Outcome
    from petshots_reminders.settings import RemindersSettings


async def run_once(settings: RemindersSettings, clock: RunClock) -> dict[Outcome, int]:
    """Plan and send synchronously, one owner after another (no queue involved)."""
    from petshots_core.db import create_engine
    from petshots_core.mail import create_sender
    from petshots_reminders.planner import due_owners
    from petshots_reminders.sending import Outcome, send_digest

    engine = create_engine(settings)
    sender = create_sender(settings)
    counts = dict.fromkeys(Outcome, 0)
    try:
        owners = [owner async for owner in due_owners(engine, clock)]
        for owner_id in owners:
            result = await send_digest(engine, sender, settings, owner_id, clock)
            counts[result.outcome] += 1
    finally:
        await engine.dispose()
    return counts


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("expected YYYY-MM-DD") from exc


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="petshots-reminders")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("worker", help="run the arq worker with its crons")
    once = commands.add_parser("run-once", help="plan and send now, synchronously")
    once.add_argument("--today", type=_day, help="plan as on this UTC date (YYYY-MM-DD)")
    commands.add_parser("check", help="arq health check of a running worker (exit code)")
    commands.add_parser("enqueue-now", help="plan now and enqueue the digests for the worker")
    args = parser.parse_args(argv)
    if args.command == "worker":
        pause_gc()  # health_app's create_service_app resumes it
    from petshots_core.web.logging import configure_logging
    from petshots_reminders.settings import get_settings
    from petshots_reminders.worker import check, run

    settings = get_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    if args.command == "worker":
        asyncio.run(run(settings))
    elif args.command == "check":
        sys.exit(asyncio.run(check(settings)))
    elif args.command == "enqueue-now":
        asyncio.run(_enqueue_now(settings))
    else:
        from petshots_reminders.clock import RunClock
        from petshots_reminders.sending import Outcome

        at = time(settings.reminders_cron_hour, settings.reminders_cron_minute)
        clock = RunClock.for_day(args.today, at) if args.today else RunClock.now()
        counts = asyncio.run(run_once(settings, clock))
        print(  # noqa: T201 - the command's output
            f"digests sent: {counts[Outcome.SENT]}, skipped: {counts[Outcome.SKIPPED]}, "
            f"failed: {counts[Outcome.FAILED] + counts[Outcome.RETRY]}"
        )


async def _enqueue_now(settings: RemindersSettings) -> None:
    from arq.connections import create_pool

    from petshots_core.db import create_engine
    from petshots_reminders.clock import RunClock
    from petshots_reminders.planner import enqueue_digests
    from petshots_reminders.worker import redis_settings

    engine = create_engine(settings)
    arq = await create_pool(redis_settings(settings))
    try:
        planned = await enqueue_digests(engine, arq, RunClock.now())
    finally:
        await arq.aclose()
        await engine.dispose()
    print(f"digests enqueued: {planned}")  # noqa: T201 - the command's output
