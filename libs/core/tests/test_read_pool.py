"""The asyncpg pool of the hot one-statement paths (records' owner reads, the passport page)."""

from __future__ import annotations

import pytest

from petshots_core.read_pool import DatabaseUnavailable, ReadPool, asyncpg_connect_args
from petshots_core.settings import Settings
from petshots_devstack.waiting import free_port


def test_the_shared_database_url_becomes_an_asyncpg_dsn() -> None:
    assert asyncpg_connect_args("postgresql+asyncpg://postgres@127.0.0.1:5432/petshots") == (
        "postgresql://postgres@127.0.0.1:5432/petshots",
        {},
    )
    dsn, extra = asyncpg_connect_args(
        "postgresql+asyncpg://app:p%40ss@db.internal:5432/petshots"
        "?ssl=require&prepared_statement_cache_size=0"
    )
    assert dsn == "postgresql://app:p%40ss@db.internal:5432/petshots"
    assert extra == {"ssl": "require"}


async def test_connections_carry_the_service_settings(database_url: str) -> None:
    settings = Settings(
        database_url=database_url, service_name="petshots-test", db_statement_timeout_ms=1234
    )
    pool = ReadPool(settings, name="test", server_settings={"synchronous_commit": "off"})
    await pool.start()
    try:
        [row] = await pool.fetch(
            "SELECT current_setting('application_name') AS app,"
            " current_setting('statement_timeout') AS timeout,"
            " current_setting('synchronous_commit') AS sync"
        )
        assert (row["app"], row["timeout"], row["sync"]) == ("petshots-test", "1234ms", "off")
    finally:
        await pool.close()


async def test_an_unreachable_database_is_unavailable() -> None:
    settings = Settings(
        database_url=f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/none",
        db_connect_timeout_s=1,
    )
    pool = ReadPool(settings, name="test")
    with pytest.raises(DatabaseUnavailable, match="not started"):
        await pool.fetch("SELECT 1")
    await pool.start()  # no connection yet: start-up does not wait for the database
    try:
        with pytest.raises(DatabaseUnavailable) as caught:
            await pool.fetch("SELECT 1")
        assert isinstance(caught.value, OSError)  # what the shared handlers answer with 503
    finally:
        await pool.close()


async def test_a_statement_timeout_is_unavailable(database_url: str) -> None:
    settings = Settings(database_url=database_url, db_statement_timeout_ms=50)
    pool = ReadPool(settings, name="test")
    await pool.start()
    try:
        with pytest.raises(DatabaseUnavailable):
            await pool.fetch("SELECT pg_sleep(1)")
    finally:
        await pool.close()
