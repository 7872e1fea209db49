"""Reminders under test: real Postgres (migrated), a real SMTP sink, real Redis for arq."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from petshots_core.settings import Settings
from petshots_reminders.settings import RemindersSettings
from petshots_testkit.database import created_database
from petshots_testkit.mail import MailSink
from petshots_testkit.seed import Seed


@pytest.fixture(scope="session")
def reminders_database() -> Iterator[str]:
    """A database of its own: the planner looks at every owner, so other suites' rows
    must not be in it, and each test starts from empty tables (``clean``)."""
    with created_database("petshots_reminders_test") as url:
        yield url


@pytest.fixture
def rsettings(
    settings: Settings,
    smtp_sink: MailSink,
    reminders_database: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> RemindersSettings:
    values = settings.model_dump()
    values.update(
        database_url=reminders_database,
        smtp_host=smtp_sink.host,
        smtp_port=smtp_sink.port,
        state_dir=str(tmp_path_factory.mktemp("state")),
        mail_from="Petshots <no-reply@petshots.test>",
        public_base_url="https://petshots.test",
        reminders_retry_base_s=0.01,
    )
    return RemindersSettings(**values)


@pytest.fixture(scope="session")
async def engine(reminders_database: str) -> AsyncIterator[AsyncEngine]:
    eng = create_async_engine(reminders_database)
    yield eng
    await eng.dispose()


@pytest.fixture(autouse=True)
async def clean(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("TRUNCATE owners, email_suppressions CASCADE"))


@pytest.fixture
def seed(engine: AsyncEngine) -> Seed:
    return Seed(engine)
