"""Reminders planning the seed's way, for the side-by-side with ``bench/reminders_plan.py``.

    uv run python bench/reminders_seed_way.py [--owners 10000] [--concurrency 1]

The original product kept every piece of metadata in S3 (seed guide: "The Reminder Lambda
sends vaccine expiry emails by listing all user prefixes and reading every user's settings
file"): ``users/{id}/settings.json``, ``users/{id}/pets/{pet}/pet.json`` and one object per
record whose *key* carries the URL-encoded label and expiry. This script lays that out in
LocalStack S3 (its own bucket, deleted afterwards) for N owners with the same shape as the
planning benchmark (1-2 pets, 3 records each, 10 % reminders off, 15 % custom thresholds),
then plans one daily run exactly that way — list the user prefixes, then per owner list
their objects and read their settings — and counts the owners due. ``--concurrency``
runs that many owners at once (the seed's Lambda walked them one by one: the default).
Every owner costs the same (the server lists one prefix of the same bucket), so by default
the walk is timed over a random 1,000 of the N owners and the full run extrapolated from
that rate (``--sample 0`` walks all of them: at 10^4 owners that takes hours here).

Then it runs ``bench/reminders_plan.py --owners N`` (the product's index-driven planner,
including enqueueing) and prints both rates and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

import boto3
from botocore.config import Config

from petshots_devstack.localstack import running as localstack_running

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

TODAY = date(2026, 11, 27)
LABELS = ["Rabies", "DHPP", "Bordetella", "Leptospirosis", "FVRCP", "FeLV"]
DEFAULT_THRESHOLDS = [60, 30, 7, 0]
CUSTOM_THRESHOLDS = [[30, 7], [90, 30, 14, 1], [14], [60, 30, 7, 3, 1, 0]]


def client(endpoint: str, pool: int) -> S3Client:
    s3: S3Client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(max_pool_connections=pool, retries={"max_attempts": 3}),
    )
    return s3


def objects_for(i: int, rng: random.Random) -> list[tuple[str, bytes]]:
    owner = uuid.UUID(int=rng.getrandbits(128)).hex
    thresholds = rng.choice(CUSTOM_THRESHOLDS) if rng.random() < 0.15 else DEFAULT_THRESHOLDS
    settings = {
        "email": f"owner{i}@example.test",
        "reminders_enabled": rng.random() >= 0.10,
        "reminder_thresholds_days": thresholds,
        "timezone": "UTC",
    }
    out = [(f"users/{owner}/settings.json", json.dumps(settings).encode())]
    pets = [uuid.UUID(int=rng.getrandbits(128)).hex for _ in range(rng.choice((1, 1, 2)))]
    for pet in pets:
        out.append((f"users/{owner}/pets/{pet}/pet.json", b'{"name":"Rex","species":"dog"}'))
    for _ in range(3):
        pet = rng.choice(pets)
        doc = uuid.UUID(int=rng.getrandbits(128)).hex
        expires = TODAY + timedelta(days=rng.randint(-60, 400))
        meta = quote(json.dumps({"label": rng.choice(LABELS), "expires": expires.isoformat()}))
        out.append((f"users/{owner}/pets/{pet}/docs/{doc}/{meta}/certificate.pdf", b"%PDF-1.4"))
    return out


def seed(s3: S3Client, bucket: str, owners: int, workers: int) -> float:
    rng = random.Random(7)
    objects = [obj for i in range(owners) for obj in objects_for(i, rng)]
    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda kv: s3.put_object(Bucket=bucket, Key=kv[0], Body=kv[1]), objects))
    return time.perf_counter() - started


_DOC = re.compile(r"^users/[^/]+/pets/[^/]+/docs/[^/]+/([^/]+)/[^/]+$")


def plan_owner(s3: S3Client, bucket: str, prefix: str) -> bool:
    """The seed's reminder check for one owner: list their objects, read their settings."""
    keys: list[str] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys += [o["Key"] for o in page.get("Contents", [])]
    settings = json.loads(s3.get_object(Bucket=bucket, Key=f"{prefix}settings.json")["Body"].read())
    if not settings.get("reminders_enabled", True):
        return False
    thresholds = set(settings.get("reminder_thresholds_days", DEFAULT_THRESHOLDS))
    for key in keys:
        m = _DOC.match(key)
        if m:
            meta = json.loads(unquote(m.group(1)))
            days = (date.fromisoformat(meta["expires"]) - TODAY).days
            if days in thresholds:
                return True
    return False


def plan(
    s3: S3Client, bucket: str, concurrency: int, sample: int | None
) -> tuple[int, int, int, float, float]:
    """(owners listed, owners walked, due, seconds listing, seconds walking)."""
    started = time.perf_counter()
    prefixes: list[str] = []
    for page in s3.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Prefix="users/", Delimiter="/"
    ):
        prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
    listed = time.perf_counter() - started
    walk = prefixes if sample is None else random.Random(1).sample(prefixes, sample)
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        due = sum(pool.map(lambda p: plan_owner(s3, bucket, p), walk))
    return len(prefixes), len(walk), due, listed, time.perf_counter() - started


def empty_bucket(s3: S3Client, bucket: str) -> None:
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
        if keys:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})  # type: ignore[typeddict-item]
    s3.delete_bucket(Bucket=bucket)


def product_rate(owners: int) -> float | None:
    script = Path(__file__).with_name("reminders_plan.py")
    out = subprocess.run(
        [sys.executable, str(script), "--owners", str(owners)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    print(out.stdout.strip(), flush=True)
    if out.returncode != 0:
        print(out.stderr[-2000:], file=sys.stderr)
        return None
    last = out.stdout.strip().splitlines()[-1].split()
    return float(last[4].replace(",", ""))  # the owners/s column


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--owners", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--skip-product", action="store_true")
    parser.add_argument(
        "--sample",
        type=int,
        default=1000,
        help="walk this many owners (random) of the N laid out; 0 = all (slow: hours at 10^4)",
    )
    args = parser.parse_args()
    if not args.sample or args.sample >= args.owners:
        args.sample = None
    with localstack_running() as endpoint:
        s3 = client(endpoint, max(16, args.concurrency))
        bucket = f"petshots-seedway-{uuid.uuid4().hex[:8]}"
        s3.create_bucket(Bucket=bucket)
        try:
            seeded = seed(s3, bucket, args.owners, 16)
            print(
                f"seed way: {args.owners:,} owners laid out in S3 in {seeded:.0f} s "
                f"(load average {os.getloadavg()[0]:.2f})",
                flush=True,
            )
            owners, walked, due, listed, took = plan(s3, bucket, args.concurrency, args.sample)
            seed_rate = walked / took
            total = listed + owners / seed_rate
            print(
                f"seed way: listed {owners:,} owner prefixes in {listed:.1f} s; walked "
                f"{walked:,} of them ({due:,} due) in {took:.1f} s = {seed_rate:,.1f} owners/s "
                f"with {args.concurrency} at a time -> all {owners:,}: {total:,.0f} s "
                f"(load average {os.getloadavg()[0]:.2f})",
                flush=True,
            )
        finally:
            empty_bucket(s3, bucket)
    if args.skip_product:
        return
    rate = product_rate(args.owners)
    if rate is not None:
        print(
            f"\nproduct: {rate:,.0f} owners/s (plan + enqueue) vs seed way: {seed_rate:,.1f} "
            f"owners/s -> {rate / seed_rate:,.0f}x at {args.owners:,} owners"
        )


if __name__ == "__main__":
    main()
