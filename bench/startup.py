"""Start-up: process start -> ``/readyz`` 200, for each service.

    uv run python bench/startup.py [--runs 5]

Each service starts as its container starts it (uvicorn, one worker; the reminders worker
with its health server) against a private PostgreSQL, a private Redis and LocalStack S3
(reused if one runs), all ready beforehand. The clock starts just before the process is
spawned and stops at the first ``/readyz`` 200 (polled every 10 ms). Also printed: the
time to import the app module alone (``python -c 'import …'``), which is most of it.
Target (issue 9): <= 1.0 s per service.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import boto3
import httpx
from api_load import drop_bucket

from petshots_devstack.localstack import running as localstack_running
from petshots_testkit.database import migrate
from petshots_testkit.processes import (
    PrivatePostgres,
    PrivateRedis,
    Service,
    uvicorn_service,
    worker_service,
)
from petshots_testkit.tokens import CLIENT_ID

DATABASE = "petshots"
TARGET_S = 1.0
SERVICES = {
    "auth": "petshots_auth.app:create_app",
    "records": "petshots_records.app:create_app",
    "passport": "petshots_passport.app:create_app",
}
MODULES = {
    "auth": "petshots_auth.app",
    "records": "petshots_records.app",
    "passport": "petshots_passport.app",
    "reminders": "petshots_reminders.cli",
}


def time_to_ready(service: Service, timeout_s: float = 60.0) -> float:
    started = time.perf_counter()
    service.start()
    try:
        deadline = started + timeout_s
        url = service.base_url + "/readyz"
        with httpx.Client(timeout=1.0) as client:
            while time.perf_counter() < deadline:
                try:
                    if client.get(url).status_code == 200:
                        return time.perf_counter() - started
                except httpx.HTTPError:
                    pass
                if not service.alive():
                    raise RuntimeError(f"{service.name} exited: {service.log_text()[-2000:]}")
                time.sleep(0.01)
        raise TimeoutError(f"{service.name}: not ready in {timeout_s} s")
    finally:
        service.stop()


def import_time(module: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, timeout=60)
    return time.perf_counter() - started


async def _create_db(admin_dsn: str) -> None:
    conn = await asyncpg.connect(admin_dsn, timeout=10)
    try:
        await conn.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    log_dir = Path(tempfile.mkdtemp(prefix="petshots-bench-startup-"))
    pg = PrivatePostgres()
    redis = PrivateRedis(log_dir)
    try:
        pg.start()
        asyncio.run(_create_db(pg.admin_dsn))
        migrate(pg.url(DATABASE))
        redis.start()
        with localstack_running() as s3:
            bucket = f"petshots-bench-{uuid.uuid4().hex[:8]}"
            s3_client = boto3.client(
                "s3",
                endpoint_url=s3,
                region_name="us-east-1",
                aws_access_key_id="test",
                aws_secret_access_key="test",
            )
            s3_client.create_bucket(Bucket=bucket)
            try:
                run_all(args.runs, env_for(pg, redis, s3, bucket, log_dir), log_dir)
            finally:
                drop_bucket(s3_client, bucket)
    finally:
        redis.stop()
        pg.destroy()
        shutil.rmtree(log_dir, ignore_errors=True)


def env_for(
    pg: PrivatePostgres, redis: PrivateRedis, s3: str, bucket: str, log_dir: Path
) -> dict[str, str]:
    return {
        **os.environ,
        "PETSHOTS_ENV": "test",
        "PETSHOTS_DATABASE_URL": pg.url(DATABASE),
        "PETSHOTS_REDIS_URL": redis.url,
        "PETSHOTS_S3_ENDPOINT_URL": s3,
        "PETSHOTS_S3_ACCESS_KEY_ID": "test",
        "PETSHOTS_S3_SECRET_ACCESS_KEY": "test",
        "PETSHOTS_UPLOADS_BUCKET": bucket,
        "PETSHOTS_JWKS_URL": "http://127.0.0.1:9/jwks.json",
        "PETSHOTS_TOKEN_ISSUER": "http://bench.petshots.test/auth",
        "PETSHOTS_TOKEN_CLIENT_IDS": CLIENT_ID,
        "PETSHOTS_STATE_DIR": str(log_dir / "state"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def run_all(runs: int, env: dict[str, str], log_dir: Path) -> None:
    # Local secrets (keys, sealing key) are generated on a first start: not measured.
    for name, factory in SERVICES.items():
        time_to_ready(uvicorn_service(name, factory, env, log_dir))
    print(
        f"machine: {os.cpu_count()} CPUs; {runs} runs each; "
        f"load average at start {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{'service':<10} {'import s':>9} {'start→ready median s':>21} {'min':>6} "
        f"{'max':>6}  target"
    )
    for name in [*SERVICES, "reminders"]:
        times = []
        for _ in range(runs):
            service = (
                worker_service(env, log_dir)
                if name == "reminders"
                else uvicorn_service(name, SERVICES[name], env, log_dir)
            )
            times.append(time_to_ready(service))
        imported = statistics.median(import_time(MODULES[name]) for _ in range(3))
        median = statistics.median(times)
        verdict = "met" if median <= TARGET_S else "MISSED"
        print(
            f"{name:<10} {imported:>9.2f} {median:>21.2f} {min(times):>6.2f} "
            f"{max(times):>6.2f}  <= {TARGET_S:.1f} s: {verdict}",
            flush=True,
        )
    print(f"load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
