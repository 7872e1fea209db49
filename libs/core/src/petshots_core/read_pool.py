"""A small autocommit asyncpg pool beside the SQLAlchemy engine, for hot one-statement paths.

The records service's owner reads and the passport service's public page each run one SQL
statement per request on a pool like this instead of through the SQLAlchemy session (their
modules say what that saves). Autocommit: a single statement needs no BEGIN/COMMIT round
trips. The pool connects lazily (start-up does not wait for Postgres), and an unreachable
database raises :class:`DatabaseUnavailable`, which the shared error handlers answer with 503.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import asyncpg
import structlog
from sqlalchemy.engine import make_url

from petshots_core.settings import Settings

log = structlog.get_logger(__name__)


class DatabaseUnavailable(ConnectionError):
    """Postgres cannot be reached; the shared error handlers answer 503 (an OSError)."""


# Errors that mean "the database is not there right now", as opposed to a bug.
UNAVAILABLE: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncio.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.OperatorInterventionError,  # shutdown, "cannot connect now"
    asyncpg.exceptions.QueryCanceledError,  # statement timeout
)

# Query arguments of a SQLAlchemy asyncpg URL that are not libpq DSN parameters.
_SQLALCHEMY_ONLY = frozenset(
    {"prepared_statement_cache_size", "prepared_statement_name_func", "async_fallback"}
)


def asyncpg_connect_args(database_url: str) -> tuple[str, dict[str, Any]]:
    """The shared SQLAlchemy URL (``postgresql+asyncpg://…``) as asyncpg's DSN and kwargs.

    ``?ssl=require`` is SQLAlchemy's spelling, passed on as asyncpg's ``ssl`` argument;
    libpq parameters (``sslmode``, …) stay in the DSN.
    """
    url = make_url(database_url)
    query = dict(url.query)
    kwargs: dict[str, Any] = {}
    if "ssl" in query:
        kwargs["ssl"] = query.pop("ssl")
    for name in _SQLALCHEMY_ONLY:
        query.pop(name, None)
    dsn = url.set(drivername="postgresql", query=query).render_as_string(hide_password=False)
    return dsn, kwargs


async def _keep_session(conn: asyncpg.Connection) -> None:
    """The pool's reset hook: nothing to reset. Releasing a connection skips asyncpg's reset
    query (``RESET ALL``, ``UNLISTEN`` …, one more round trip per request): the statements run
    here change no session state. asyncpg still rolls back an open transaction itself."""


class ReadPool:
    """One service's pool: :meth:`start` at start-up (no connection yet), :meth:`close` at
    shutdown, :meth:`fetch` per request."""

    def __init__(
        self, settings: Settings, *, name: str, server_settings: Mapping[str, str] | None = None
    ) -> None:
        """``name`` appears in log events (``<name>_database_unavailable``); ``server_settings``
        are added to the session settings every connection gets."""
        self._settings = settings
        self._name = name
        self._server_settings = dict(server_settings or {})
        self._pool: asyncpg.Pool | None = None

    async def start(self) -> None:
        s = self._settings
        dsn, extra = asyncpg_connect_args(s.database_url)
        self._pool = await asyncpg.create_pool(
            dsn,
            **extra,
            min_size=0,
            max_size=s.db_pool_size,
            timeout=s.db_connect_timeout_s,
            command_timeout=s.db_statement_timeout_ms / 1000,
            max_inactive_connection_lifetime=300,
            reset=_keep_session,
            server_settings={
                "application_name": s.service_name,
                "statement_timeout": str(s.db_statement_timeout_ms),
                **self._server_settings,
            },
        )

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def fetch(self, query: str, *args: Any) -> list[Any]:
        """The statement's rows; :class:`DatabaseUnavailable` when Postgres is not there."""
        if self._pool is None:
            raise DatabaseUnavailable(f"{self._name} read pool not started")
        try:
            async with self._pool.acquire(timeout=self._settings.db_connect_timeout_s) as conn:
                rows: list[Any] = await conn.fetch(query, *args)
                return rows
        except UNAVAILABLE as exc:
            log.warning(f"{self._name}_database_unavailable", error=type(exc).__name__)
            raise DatabaseUnavailable(type(exc).__name__) from exc
