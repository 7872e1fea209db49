"""Start-up: process start -> ``/readyz`` 200, for each service.

    uv run --no-sync python bench/startup.py [--runs 5]

Each service starts as its container starts it (uvicorn, one worker; the reminders worker
with its health server) against a private PostgreSQL, a private Redis and a private
LocalStack S3 (a shared one may be restarted by its owner mid-run), all ready beforehand.
The clock starts just before the process is spawned and stops at the first ``/readyz`` 200
(polled every 10 ms). Also printed: the process's CPU time (user + system) at that moment,
which a busy machine inflates much less than the wall time; the time to import the app
module alone (``python -c 'import …'``); and a floor row: a bare Litestar app with a
``/readyz`` under the same uvicorn command, i.e. what Python, uvicorn and Litestar cost on
this machine at this moment (the machine may be shared: compare each service with the floor
of the same run). Target (issue 9): <= 1.0 s per service.

Measured with compiled bytecode, as the containers run: their images compile at install
(``UV_COMPILE_BYTECODE=1``, workspace members installed as compiled wheels). ``make install``
compiles site-packages (``uv sync --compile-bytecode``); the bench compiles the workspace's
own sources (editable installs, outside site-packages) before measuring, and says so, loudly,
when site-packages are not compiled: every process would then compile Litestar, SQLAlchemy
and the rest from source (~3 s), which no deployed container does.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import httpx

from petshots_core.serve import SERVICES
from petshots_devstack.localstack import running as localstack_running
from petshots_devstack.paths import StateLayout
from petshots_devstack.waiting import free_port
from petshots_testkit.buckets import scratch_bucket
from petshots_testkit.processes import (
    LOOPBACK,
    PrivatePostgres,
    PrivateRedis,
    Service,
    web_service,
    worker_service,
)
from petshots_testkit.tokens import CLIENT_ID

DATABASE = "petshots"
TARGET_S = 1.0
REPO = Path(__file__).resolve().parent.parent
# Modules whose compiled bytecode says whether site-packages were compiled at install.
COMPILED_MARKERS = ("litestar.app", "sqlalchemy.orm.session", "pydantic.main", "uvicorn.main")
FLOOR_FACTORY = "startup_floor:create_app"
WEB = [service.name for service in SERVICES]
MODULES = {
    **{service.name: service.app_module for service in SERVICES},
    "reminders": "petshots_reminders.worker",  # what `petshots-reminders worker` imports
}


def bytecode_state() -> str:
    """Compile the workspace's sources; say whether site-packages hold compiled bytecode."""
    members = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["uv"]["workspace"]
    for member in members["members"]:
        compileall.compile_dir(REPO / member / "src", quiet=1)
    missing = []
    for name in COMPILED_MARKERS:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None or not Path(importlib.util.cache_from_source(origin)).exists():
            missing.append(name)
    if missing:
        return (
            f"NOT COMPILED in site-packages ({', '.join(missing)}): run `make install`; "
            "these figures include compiling from source, unlike any container"
        )
    return "compiled (site-packages and the workspace's sources), as in the containers"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_to_ready(service: Service, timeout_s: float = 60.0) -> tuple[float, float]:
    """Wall time from spawn to the first ``/readyz`` 200, and the process's CPU time then."""
    started = time.perf_counter()
    service.start()
    assert service.child is not None
    try:
        deadline = started + timeout_s
        url = service.base_url + "/readyz"
        with httpx.Client(timeout=1.0) as client:
            while time.perf_counter() < deadline:
                try:
                    if client.get(url).status_code == 200:
                        return time.perf_counter() - started, cpu_seconds(service.child.pid)
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
        pg.create_database(DATABASE)
        redis.start()
        with (
            localstack_running(StateLayout(log_dir / "localstack"), port=free_port()) as s3,
            scratch_bucket(s3) as bucket,
        ):
            run_all(args.runs, env_for(pg, redis, s3, bucket, log_dir), log_dir)
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


def floor_service(env: dict[str, str], log_dir: Path) -> Service:
    """The floor app under petshots-serve's uvicorn options (``petshots_core.serve.serve``)."""
    port = free_port()
    launch = (
        "import sys; from petshots_core.serve import serve; "
        "serve(sys.argv[1], host=sys.argv[2], port=int(sys.argv[3]))"
    )
    argv = [sys.executable, "-c", launch, FLOOR_FACTORY, LOOPBACK, str(port)]
    return Service("floor", argv, env, log_dir / "floor.log", port=port)


def run_all(runs: int, env: dict[str, str], log_dir: Path) -> None:
    bytecode = bytecode_state()
    floor_env = {**env, "PYTHONPATH": str(Path(__file__).resolve().parent)}
    # Local secrets (keys, sealing key) are generated on a first start: not measured.
    for name in WEB:
        time_to_ready(web_service(name, env, log_dir))
    print(f"bytecode: {bytecode}")
    print(
        f"machine: {os.cpu_count()} CPUs; {runs} runs each; "
        f"load average at start {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{'service':<10} {'import s':>9} {'start→ready median s':>21} {'min':>6} "
        f"{'max':>6} {'cpu s':>6}  target"
    )
    for name in ["floor", *WEB, "reminders"]:
        times, cpus = [], []
        for _ in range(runs):
            if name == "floor":
                service = floor_service(floor_env, log_dir)
            elif name == "reminders":
                service = worker_service(env, log_dir)
            else:
                service = web_service(name, env, log_dir)
            wall, cpu = time_to_ready(service)
            times.append(wall)
            cpus.append(cpu)
        module = MODULES.get(name)
        imported = (
            f"{statistics.median(import_time(module) for _ in range(3)):>9.2f}"
            if module
            else f"{'-':>9}"
        )
        median = statistics.median(times)
        verdict = (
            "(bare Litestar + uvicorn)"
            if name == "floor"
            else f"<= {TARGET_S:.1f} s: {'met' if median <= TARGET_S else 'MISSED'}"
        )
        print(
            f"{name:<10} {imported} {median:>21.2f} {min(times):>6.2f} "
            f"{max(times):>6.2f} {statistics.median(cpus):>6.2f}  {verdict}",
            flush=True,
        )
    print(f"load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
