"""Records service under test: the real app in-process, real Postgres, real S3 over HTTP."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_core.settings import Settings
from petshots_records.app import create_app
from petshots_testkit.api import Owner
from petshots_testkit.tokens import TokenIssuer


@pytest.fixture(scope="session")
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture(scope="session")
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as c:
        yield c


@pytest.fixture
def new_owner(client: AsyncTestClient[Litestar], token_issuer: TokenIssuer) -> Any:
    def make() -> Owner:
        sub = uuid.uuid4()
        return Owner(sub=sub, client=client, token=token_issuer.token(sub))

    return make


@pytest.fixture
def owner(new_owner: Any) -> Owner:
    result: Owner = new_owner()
    return result


@pytest.fixture
def rows(db: AsyncEngine) -> Callable[[Owner], Awaitable[dict[str, int]]]:
    """How many pets and documents an owner has, read straight from the database."""

    async def count(owner: Owner) -> dict[str, int]:
        return await count_rows(db, owner)

    return count


async def count_rows(db: AsyncEngine, owner: Owner) -> dict[str, int]:
    async with db.connect() as conn:
        pets = (
            await conn.execute(
                text("SELECT count(*) FROM pets WHERE owner_id = :o"), {"o": owner.sub}
            )
        ).scalar_one()
        docs = (
            await conn.execute(
                text("SELECT count(*) FROM documents WHERE owner_id = :o"), {"o": owner.sub}
            )
        ).scalar_one()
    return {"pets": pets, "documents": docs}
