"""A fresh, migrated database per test session on the machine's real PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
from alembic import command
from alembic.config import Config

ADMIN_DSN = os.environ.get(
    "PETSHOTS_TEST_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _repo_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "alembic.ini").is_file() and (parent / "uv.lock").exists():
            return parent
    raise RuntimeError("cannot find the repository root (alembic.ini)")


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(_repo_root() / "alembic.ini"))
    if database_url:
        config.attributes["database_url"] = database_url
    return config


def migrate(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


async def _admin(sql: str, admin_dsn: str = ADMIN_DSN) -> None:
    conn = await asyncpg.connect(admin_dsn, timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def create_migrated_database(admin_dsn: str, name: str, url: str) -> None:
    """``CREATE DATABASE name`` through ``admin_dsn``, then migrate it (``url``) to head."""
    asyncio.run(_admin(f'CREATE DATABASE "{name}"', admin_dsn))
    migrate(url)


@contextlib.contextmanager
def created_database(prefix: str = "petshots_test") -> Iterator[str]:
    """Create ``<prefix>_<random>``, migrate it to head, yield its SQLAlchemy URL, drop it."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    url = ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://") + f"/{name}"
    try:
        create_migrated_database(ADMIN_DSN, name, url)
        yield url
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
