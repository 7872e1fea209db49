"""Async engine and the Litestar SQLAlchemy plugin configuration, built once per process."""

from __future__ import annotations

from advanced_alchemy.extensions.litestar import (
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
    SQLAlchemyPlugin,
)
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from petshots_core.models import metadata
from petshots_core.settings import Settings


def create_engine(settings: Settings) -> AsyncEngine:
    return create_async_engine(settings.database_url, **_engine_kwargs(settings))


def _engine_kwargs(settings: Settings) -> dict[str, object]:
    return {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        # A connection that waits longer than this for the pool fails the request with 503
        # instead of piling requests up behind a dead database.
        "pool_timeout": settings.db_connect_timeout_s,
        "connect_args": {
            "timeout": settings.db_connect_timeout_s,
            "command_timeout": settings.db_statement_timeout_ms / 1000,
            "server_settings": {
                "statement_timeout": str(settings.db_statement_timeout_ms),
                "application_name": settings.service_name,
            },
        },
    }


def sqlalchemy_config(settings: Settings) -> SQLAlchemyAsyncConfig:
    kw = _engine_kwargs(settings)
    return SQLAlchemyAsyncConfig(
        connection_string=settings.database_url,
        engine_config=EngineConfig(
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_timeout=max(1, round(settings.db_connect_timeout_s)),
            connect_args=kw["connect_args"],  # type: ignore[arg-type]
        ),
        session_config=AsyncSessionConfig(expire_on_commit=False, autoflush=False),
        before_send_handler="autocommit",
        create_all=False,
        metadata=metadata,
    )


def sqlalchemy_plugin(settings: Settings) -> SQLAlchemyPlugin:
    return SQLAlchemyPlugin(config=sqlalchemy_config(settings))
