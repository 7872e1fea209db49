"""Real processes for the fault suite and the benchmarks: a private PostgreSQL cluster, a
private Redis, the services under petshots-serve (as the containers run them) and the reminders
worker — each on a free loopback port of its own.

The machine's shared PostgreSQL (5432) and Redis (6379) may serve other runs at the same
time: this module never touches them. Every start and stop is bounded, and every child runs
in a process group of its own so that stopping it takes its children along.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from petshots_core.serve import service_named
from petshots_devstack.processes import Child, spawn, stop
from petshots_devstack.waiting import free_port, port_open, wait_until
from petshots_testkit.database import create_migrated_database

LOOPBACK = "127.0.0.1"
START_TIMEOUT_S = 60.0


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    return Path(initdb).parent


def _as_postgres_user(argv: list[str]) -> list[str]:
    # initdb refuses to run as root; the cluster belongs to the postgres OS user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


class PrivatePostgres:
    """A throw-away cluster in a temp directory owned by the postgres OS user."""

    def __init__(self, *, durable: bool = True) -> None:
        # durable=False turns fsync off: the fault suite restarts the cluster repeatedly and
        # needs no crash safety; benchmarks keep stock durability so figures stay honest.
        self.durable = durable
        self.root = Path(tempfile.mkdtemp(prefix="petshots-private-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._bin = _pg_bin()
        if os.geteuid() == 0:
            shutil.chown(self.root, user="postgres")
        subprocess.run(
            _as_postgres_user(
                [
                    str(self._bin / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=60,
        )

    @property
    def admin_dsn(self) -> str:
        return f"postgresql://postgres@{LOOPBACK}:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@{LOOPBACK}:{self.port}/{database}"

    def dsn(self, database: str) -> str:
        return f"postgresql://postgres@{LOOPBACK}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A database on this (started) cluster, migrated to head; returns its URL."""
        create_migrated_database(self.admin_dsn, name, self.url(name))
        return self.url(name)

    def _ctl(self, *args: str, timeout_s: float = 40) -> None:
        subprocess.run(
            _as_postgres_user([str(self._bin / "pg_ctl"), "-D", str(self.data), *args]),
            check=True,
            capture_output=True,
            timeout=timeout_s,
        )

    def start(self) -> None:
        # Stock settings but for the port, the socket directory and a loopback listener.
        options = f"-p {self.port} -k {self.root} -c listen_addresses={LOOPBACK}"
        if not self.durable:
            options += " -c fsync=off"
        self._ctl("-o", options, "-l", str(self.root / "postgres.log"), "-w", "-t", "30", "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "-w", "-t", "30", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def destroy(self) -> None:
        if self.running():
            with contextlib.suppress(subprocess.SubprocessError):
                self._ctl("-m", "immediate", "-w", "-t", "30", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


class PrivateRedis:
    """``redis-server`` on a free port, no persistence, as a child process."""

    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.log = log_dir / "redis.log"
        self.child: Child | None = None

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.child = spawn(
            "redis",
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                LOOPBACK,
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            log=self.log,
        )
        wait_until(
            lambda: port_open(LOOPBACK, self.port), timeout_s=10, what="private redis", poll_s=0.05
        )

    def stop(self) -> None:
        if self.child is not None:
            stop([self.child], timeout_s=10)
            self.child = None


@dataclass
class Service:
    """One service (uvicorn app or the worker) as a process of its own."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    port: int | None = None
    child: Child | None = None

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> None:
        self.child = spawn(self.name, self.argv, env=self.env, log=self.log)

    def wait_healthy(self, timeout_s: float = START_TIMEOUT_S) -> float:
        assert self.port is not None

        def healthy() -> bool:
            if self.child is not None and self.child.exited() is not None:
                raise RuntimeError(f"{self.name} exited: see {self.log}")
            try:
                return httpx.get(self.base_url + "/healthz", timeout=1.0).status_code == 200
            except httpx.HTTPError:
                return False

        return wait_until(healthy, timeout_s=timeout_s, what=f"{self.name} /healthz", poll_s=0.1)

    @property
    def pid(self) -> int:
        assert self.child is not None
        return self.child.pid

    def alive(self) -> bool:
        return self.child is not None and self.child.exited() is None

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown handler runs."""
        if self.child is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.child.pid, signal.SIGKILL)
        self.child.process.wait(timeout=10)
        self.child = None

    def stop(self) -> None:
        if self.child is not None:
            stop([self.child], timeout_s=15)
            self.child = None

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def web_service(
    service: str,
    env: Mapping[str, str],
    log_dir: Path,
    *,
    name: str | None = None,
    port: int | None = None,
    workers: int = 1,
) -> Service:
    """``service`` (auth, records or passport) as its container runs it (``petshots-serve``),
    on a loopback port; ``name`` (default: the service's) names its log; ``workers`` is
    ``PETSHOTS_WEB_CONCURRENCY``."""
    service_named(service)  # an unknown name fails here, not in the child
    name = name or service
    port = port or free_port()
    argv = [
        str(Path(sys.executable).parent / "petshots-serve"),
        service,
        "--host",
        LOOPBACK,
        "--port",
        str(port),
    ]
    served_env = {**env, "PETSHOTS_WEB_CONCURRENCY": str(workers)}
    return Service(name, argv, served_env, log_dir / f"{name}.log", port=port)


def worker_service(env: Mapping[str, str], log_dir: Path, name: str = "reminders") -> Service:
    script = Path(sys.executable).parent / "petshots-reminders"
    port = free_port()
    worker_env = {**env, "PETSHOTS_REMINDERS_HEALTH_PORT": str(port)}
    return Service(name, [str(script), "worker"], worker_env, log_dir / f"{name}.log", port=port)
