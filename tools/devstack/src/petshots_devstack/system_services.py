"""The machine's own PostgreSQL and Redis: check they answer, start them if only stopped.

They belong to the machine, not to the stack: ``petshots-dev up`` starts them when needed but
never stops them.
"""

from __future__ import annotations

import shutil
import subprocess
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

import psycopg
import redis
from psycopg import sql

from petshots_devstack.addresses import DATABASE_NAME, LOOPBACK, POSTGRES_PORT, REDIS_PORT
from petshots_devstack.errors import DevstackError
from petshots_devstack.waiting import WaitTimeout, wait_until

READY_TIMEOUT_S = 15.0

# The machine's documented start commands, kept verbatim (shell syntax included) so they read
# the same here as in the machine's notes.
POSTGRES_START = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
REDIS_START = (
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" '
    "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log"
)


class ServiceUnavailable(DevstackError):
    pass


@dataclass(frozen=True)
class SystemService(ABC):
    name: str
    start_command: str

    @property
    @abstractmethod
    def address(self) -> str: ...

    @abstractmethod
    def is_up(self) -> bool: ...

    @abstractmethod
    def is_installed(self) -> bool: ...

    def ensure_up(self, timeout_s: float = READY_TIMEOUT_S) -> str:
        """Make sure the service answers; returns what was done, for the user."""
        if self.is_up():
            return f"{self.name}: up"
        if not self.is_installed():
            raise ServiceUnavailable(
                f"{self.name} is not installed and not answering; install it (Debian: "
                f"apt-get install {self.name.lower()}) or start it on {self.address}"
            )
        result = subprocess.run(
            ["bash", "-c", self.start_command],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
        if result.returncode != 0:
            raise ServiceUnavailable(
                f"{self.name} did not start ({self.start_command}):\n"
                f"{result.stdout}{result.stderr}".rstrip()
            )
        try:
            wait_until(self.is_up, timeout_s=timeout_s, what=self.name)
        except WaitTimeout as exc:
            raise ServiceUnavailable(str(exc)) from exc
        return f"{self.name}: started"


class Postgres(SystemService):
    @property
    def address(self) -> str:
        return f"{LOOPBACK}:{POSTGRES_PORT}"

    def is_up(self) -> bool:
        try:
            _connect().close()
        except psycopg.Error:
            return False
        return True

    def is_installed(self) -> bool:
        clusters = Path("/etc/postgresql")
        return (
            shutil.which("pg_ctlcluster") is not None
            and clusters.is_dir()
            and any(clusters.iterdir())
        )


class Redis(SystemService):
    @property
    def address(self) -> str:
        return f"{LOOPBACK}:{REDIS_PORT}"

    def is_up(self) -> bool:
        client = redis.Redis(
            host=LOOPBACK, port=REDIS_PORT, socket_timeout=1, socket_connect_timeout=1
        )
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def is_installed(self) -> bool:
        return shutil.which("redis-server") is not None


POSTGRES = Postgres("PostgreSQL", POSTGRES_START)
REDIS = Redis("Redis", REDIS_START)


def ensure_services() -> list[str]:
    return [POSTGRES.ensure_up(), REDIS.ensure_up()]


def ensure_database(name: str = DATABASE_NAME) -> bool:
    """Create database ``name`` unless it exists; True when it was created."""
    with _connect() as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
        try:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.errors.DuplicateDatabase:
            return False  # a concurrent caller created it in the meantime
        return True


def _connect(database: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
    # autocommit: CREATE DATABASE cannot run inside a transaction block.
    return psycopg.connect(
        host=LOOPBACK,
        port=POSTGRES_PORT,
        user="postgres",
        dbname=database,
        connect_timeout=2,
        autocommit=True,
    )
