"""Passport service under test: the real app in-process beside the records app (which makes
the pets and records), real Postgres, real Redis (a key prefix per run), real S3 over HTTP."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_core.settings import Settings
from petshots_passport.app import create_app
from petshots_passport.settings import PassportSettings
from petshots_records.app import create_app as create_records_app
from petshots_testkit.api import Owner
from petshots_testkit.tokens import TokenIssuer


@pytest.fixture(scope="session")
def state_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("passport-state")


@pytest.fixture(scope="session")
def make_settings(settings: Settings, state_dir: Path) -> Callable[..., PassportSettings]:
    """Passport settings for one app instance: its own Redis key prefix, any overrides."""

    def make(**overrides: Any) -> PassportSettings:
        values: dict[str, Any] = {
            **settings.model_dump(),
            "state_dir": str(state_dir),
            "passport_rate_limit_key_prefix": f"petshots:test:{uuid.uuid4().hex}:",
            # The shared app serves every test from one test-client address: generous here,
            # the rate-limit tests build their own app with tight limits.
            "passport_rate_limit": 100_000,
            "passport_rate_limit_misses": 100_000,
        }
        values.update(overrides)
        return PassportSettings(**values)

    return make


@pytest.fixture(scope="session")
def passport_settings(make_settings: Callable[..., PassportSettings]) -> PassportSettings:
    return make_settings()


@pytest.fixture(scope="session")
def app(passport_settings: PassportSettings) -> Litestar:
    return create_app(passport_settings)


@pytest.fixture(scope="session")
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as c:
        yield c


@pytest.fixture(scope="session")
def records_app(settings: Settings) -> Litestar:
    return create_records_app(settings)


@pytest.fixture(scope="session")
async def records_client(records_app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=records_app) as c:
        yield c


@dataclass
class Person:
    """One owner: ``records`` talks to the records service, ``passports`` to this one."""

    sub: uuid.UUID
    records: Owner
    passports: Owner

    async def call(self, method: str, path: str, **kw: Any) -> httpx.Response:
        return await self.passports.call(method, path, **kw)

    async def new_passport(
        self, pet_id: str, label: str = "Happy Paws Daycare", expires_in_days: int | None = 30
    ) -> dict[str, Any]:
        r = await self.call(
            "POST",
            "/api/passports",
            json={"pet_id": pet_id, "label": label, "expires_in_days": expires_in_days},
        )
        assert r.status_code == 201, r.text
        created: dict[str, Any] = r.json()
        return created

    @staticmethod
    def token_of(passport: dict[str, Any]) -> str:
        url: str = passport["url"]
        return url.rsplit("/p/", 1)[1]

    @staticmethod
    def public_path(passport: dict[str, Any], suffix: str = "") -> str:
        return f"/p/{Person.token_of(passport)}{suffix}"


@pytest.fixture
def new_person(
    client: AsyncTestClient[Litestar],
    records_client: AsyncTestClient[Litestar],
    token_issuer: TokenIssuer,
) -> Callable[[], Person]:
    def make() -> Person:
        sub = uuid.uuid4()
        token = token_issuer.token(sub)
        return Person(
            sub=sub,
            records=Owner(sub=sub, client=records_client, token=token),
            passports=Owner(sub=sub, client=client, token=token),
        )

    return make


@pytest.fixture
def person(new_person: Callable[[], Person]) -> Person:
    return new_person()


@pytest.fixture
def set_owner(db: AsyncEngine) -> Callable[..., Awaitable[None]]:
    """Change owner columns the passport service reads (email, timezone, due_soon_days)."""

    async def update(sub: uuid.UUID, **columns: Any) -> None:
        assignments = ", ".join(f"{name} = :{name}" for name in columns)
        async with db.begin() as conn:
            await conn.execute(
                text(f"UPDATE owners SET {assignments} WHERE id = :sub"), {**columns, "sub": sub}
            )

    return update


@pytest.fixture
def expire_passport(db: AsyncEngine) -> Callable[[str], Awaitable[None]]:
    async def expire(passport_id: str) -> None:
        async with db.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE passports SET expires_at = now() - interval '1 minute' WHERE id = :id"
                ),
                {"id": uuid.UUID(passport_id)},
            )

    return expire
