"""Reminders planning benchmark: N owners x 3 records, plan + enqueue one daily run.

    uv run python bench/reminders_plan.py                # 10k, 100k and 1M owners
    uv run python bench/reminders_plan.py --owners 100000

Each size gets its own database, bulk-loaded with COPY in the steady state of a job that ran
every day until yesterday (``next_remind_on`` as the triggers would have left it), with a
realistic spread: expiries from 60 days ago to 400 days ahead, 14 time zones, 10 % of owners
with reminders off, 15 % with their own thresholds. Planning + enqueueing (real arq into real
Redis, on a queue of its own, nothing sent) runs in a fresh child process so its peak RSS is
the planner's alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import asyncpg
from arq.connections import RedisSettings, create_pool
from sqlalchemy.ext.asyncio import create_async_engine

from petshots_reminders.clock import RunClock
from petshots_reminders.planner import enqueue_digests
from petshots_testkit.bulk import DOCUMENT_COLUMNS, Row, copy_rows, document_row
from petshots_testkit.database import ADMIN_DSN, migrate

ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Pacific/Auckland",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Africa/Johannesburg",
    "Pacific/Honolulu",
]
DEFAULT_THRESHOLDS = [60, 30, 7, 0]
CUSTOM_THRESHOLDS = [[30, 7], [90, 30, 14, 1], [14], [60, 30, 7, 3, 1, 0]]
LABELS = ["Rabies", "DHPP", "Bordetella", "Leptospirosis", "FVRCP", "FeLV"]
TODAY = date(2026, 11, 27)


def dsn(name: str) -> str:
    return ADMIN_DSN.rsplit("/", 1)[0] + f"/{name}"


def next_remind_on(expires: date, thresholds: list[int]) -> date | None:
    """Steady state: every threshold crossed before today was sent by yesterday's run."""
    days_left = (expires - TODAY).days
    unsent = [t for t in thresholds if t <= days_left]
    return expires - timedelta(days=max(unsent)) if unsent else None


SEED_COLUMNS = {
    "owners": [
        "id",
        "email",
        "timezone",
        "due_soon_days",
        "reminders_enabled",
        "reminder_thresholds_days",
        "storage_prefix",
    ],
    "pets": ["id", "owner_id", "name", "species"],
    "documents": [*DOCUMENT_COLUMNS, "next_remind_on"],
}


def rows(owners: int, seed: int = 7) -> Iterator[tuple[Row, list[Row], list[Row]]]:
    rng = random.Random(seed)
    for i in range(owners):
        owner_id = uuid.UUID(int=rng.getrandbits(128))
        thresholds = rng.choice(CUSTOM_THRESHOLDS) if rng.random() < 0.15 else DEFAULT_THRESHOLDS
        owner: Row = (
            owner_id,
            f"owner{i}@example.test",
            rng.choice(ZONES),
            30,
            rng.random() >= 0.10,
            thresholds,
            owner_id.hex,
        )
        pet_ids = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(rng.choice((1, 1, 2)))]
        pets: list[Row] = [(pid, owner_id, f"Pet {n}", "dog") for n, pid in enumerate(pet_ids)]
        docs: list[Row] = []
        for _ in range(3):
            doc_id = uuid.UUID(int=rng.getrandbits(128))
            expires = TODAY + timedelta(days=rng.randint(-60, 400))
            record = document_row(
                doc_id,
                owner_id,
                rng.choice(pet_ids),
                rng.choice(LABELS),
                expires,
                filename="cert.pdf",
                size_bytes=120_000,
            )
            docs.append((*record, next_remind_on(expires, thresholds)))
        yield owner, pets, docs


async def seed(name: str, owners: int) -> float:
    admin = await asyncpg.connect(ADMIN_DSN)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    await asyncio.to_thread(migrate, dsn(name).replace("postgresql://", "postgresql+asyncpg://"))
    started = time.perf_counter()
    # A bulk load of the steady state: the triggers' job is done in Python above.
    async with copy_rows(dsn(name), SEED_COLUMNS, triggers=False, analyze=True) as load:
        for owner, pets, docs in rows(owners):
            load.add("owners", owner)
            load.add("pets", *pets)
            load.add("documents", *docs)
            if load.pending("owners") >= 20_000:
                await load.flush()
    return time.perf_counter() - started


async def plan(name: str) -> dict[str, float]:
    engine = create_async_engine(dsn(name).replace("postgresql://", "postgresql+asyncpg://"))
    queue = f"petshots-bench-{uuid.uuid4().hex[:8]}"
    arq = await create_pool(RedisSettings(), default_queue_name=queue)
    clock = RunClock(TODAY, datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    try:
        started = time.perf_counter()
        planned = await enqueue_digests(engine, arq, clock, concurrency=64)
        elapsed = time.perf_counter() - started
        queued = await arq.zcard(queue)
    finally:
        keys = [k async for k in arq.scan_iter("arq:job:digest:*")]
        for start in range(0, len(keys), 1000):
            await arq.delete(*keys[start : start + 1000])
        await arq.delete(queue)
        await arq.aclose()
        await engine.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"planned": planned, "queued": queued, "seconds": elapsed, "peak_rss_mb": peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--owners", type=int, action="append")
    parser.add_argument("--plan-only", metavar="DATABASE")
    parser.add_argument("--keep", action="store_true", help="keep the bench databases")
    args = parser.parse_args()
    if args.plan_only:
        print(json.dumps(asyncio.run(plan(args.plan_only))))
        return
    print(
        f"{'owners':>10} {'records':>10} {'seed s':>8} {'plan+enqueue s':>15} "
        f"{'owners/s':>12} {'digests':>9} {'peak RSS MB':>12}"
    )
    for owners in args.owners or [10_000, 100_000, 1_000_000]:
        name = f"petshots_bench_{owners}"
        seeded = asyncio.run(seed(name, owners))
        out = subprocess.run(
            [sys.executable, __file__, "--plan-only", name],
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{owners:>10,} {owners * 3:>10,} {seeded:>8.1f} {result['seconds']:>15.2f} "
            f"{owners / result['seconds']:>12,.0f} {int(result['queued']):>9,} "
            f"{result['peak_rss_mb']:>12.1f}",
            flush=True,
        )
        if not args.keep:
            asyncio.run(_drop(name))


async def _drop(name: str) -> None:
    admin = await asyncpg.connect(ADMIN_DSN)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


if __name__ == "__main__":
    main()
