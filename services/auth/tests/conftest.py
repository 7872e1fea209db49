"""The auth service under test: the real app, real Postgres, Redis, SMTP and S3, over HTTP.

Redis is shared with other suites running on the machine, so every key this run writes
carries a prefix of its own (throttles, SRP replay guard) and jobs go to a queue of its own.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from petshots_auth.app import create_app
from petshots_auth.secret_block import derive_key
from petshots_auth.settings import AuthSettings
from petshots_auth.throttle import Throttle
from petshots_core.cache import create_redis
from petshots_core.local_secrets import resolve_secret
from petshots_core.settings import Settings
from petshots_testkit.live import LiveServer
from petshots_testkit.mail import MailSink, code_in
from petshots_testkit.srp import srp_client, srp_login

ISSUER = "http://auth.petshots.test/auth"
PASSWORD = "Correct-Horse-9"


@pytest.fixture(scope="session")
def run_id() -> str:
    return uuid.uuid4().hex[:12]


@pytest.fixture(scope="session")
def auth_settings(
    settings: Settings,
    session_smtp_sink: MailSink,
    run_id: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> AuthSettings:
    return AuthSettings(
        **{
            **dict(settings),
            "token_issuer": ISSUER,
            "smtp_host": "127.0.0.1",
            "smtp_port": session_smtp_sink.port,
            "mail_transport": "smtp",
            "state_dir": str(tmp_path_factory.mktemp("state")),
            "redis_key_prefix": f"petshots:test:{run_id}:",
            "jobs_queue_name": f"petshots:test:{run_id}:queue",
            "public_requests_per_minute": 10_000,
            "login_max_failures_per_address": 10_000,
        }
    )


@pytest.fixture(scope="session")
def app(auth_settings: AuthSettings) -> Litestar:
    return create_app(auth_settings)


@pytest.fixture(scope="session")
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as c:
        yield c


@pytest.fixture
async def throttle(auth_settings: AuthSettings, app: Litestar) -> AsyncIterator[Throttle]:
    """The app's throttle, seen through a Redis client of the test's own event loop."""
    redis = create_redis(auth_settings)
    secret = resolve_secret(auth_settings, auth_settings.auth_secret, "auth_secret")
    yield Throttle(
        redis,
        prefix=auth_settings.redis_key_prefix,
        key=derive_key(secret, purpose="throttle-keys"),
        policy=app.state.auth.throttle.policy,
    )
    await redis.aclose()


@pytest.fixture(scope="session")
def live_auth(auth_settings: AuthSettings) -> Iterator[LiveServer]:
    """A second instance of the same auth service (same keys under state_dir), over HTTP."""
    with LiveServer(create_app(auth_settings)) as server:
        yield server


@dataclass
class Session:
    email: str
    sub: uuid.UUID
    access_token: str
    id_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


class AuthKit:
    """Helpers the tests share (a fixture: test modules cannot import conftest)."""

    password = PASSWORD

    def __init__(self, client: AsyncTestClient[Litestar], mailbox: MailSink) -> None:
        self.client = client
        self.mailbox = mailbox

    @staticmethod
    def new_email() -> str:
        return f"owner-{uuid.uuid4().hex[:10]}@example.com"

    code_in = staticmethod(code_in)
    srp_client = staticmethod(srp_client)

    async def login(
        self, email: str, password: str = PASSWORD, client: AsyncTestClient[Litestar] | None = None
    ) -> Any:
        """Log in through /auth/login/start and /finish with pycognito's client math."""
        return await srp_login(client or self.client, email, password)

    async def mail(self, email: str, subject: str, *, count: int = 1) -> EmailMessage:
        return await asyncio.to_thread(self.mailbox.wait_for, email, subject, count=count)

    async def sign_up_and_confirm(self, email: str | None = None) -> str:
        email = email or self.new_email()
        earlier = [m for m in self.mailbox.to(email) if "confirmation code" in str(m["Subject"])]
        r = await self.client.post("/auth/signup", json={"email": email, "password": PASSWORD})
        assert r.status_code == 201, r.text
        message = await self.mail(email, "confirmation code", count=len(earlier) + 1)
        r = await self.client.post("/auth/confirm", json={"email": email, "code": code_in(message)})
        assert r.status_code == 200, r.text
        return email


@pytest.fixture
def kit(client: AsyncTestClient[Litestar], session_smtp_sink: MailSink) -> AuthKit:
    return AuthKit(client, session_smtp_sink)


@pytest.fixture
def signed_up(client: AsyncTestClient[Litestar], kit: AuthKit) -> Any:
    async def make() -> Session:
        email = await kit.sign_up_and_confirm()
        r = await kit.login(email)
        assert r.status_code == 200, r.text
        tokens = r.json()
        me = await client.get(
            "/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
        )
        assert me.status_code == 200, me.text
        return Session(
            email=email,
            sub=uuid.UUID(me.json()["sub"]),
            access_token=tokens["access_token"],
            id_token=tokens["id_token"],
            refresh_token=tokens["refresh_token"],
        )

    return make


@pytest.fixture(scope="session")
async def records_client(
    settings: Settings, live_auth: LiveServer
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """The records service, verifying this service's tokens like any other: JWKS over HTTP."""
    from petshots_records.app import create_app as create_records_app

    records_settings = settings.model_copy(
        update={
            "jwks_url": f"{live_auth.url}/auth/.well-known/jwks.json",
            "token_issuer": ISSUER,
        }
    )
    async with AsyncTestClient(app=create_records_app(records_settings)) as c:
        yield c
