"""Pytest fixtures every Petshots suite shares (registered through the ``pytest11`` entry point).

Everything here is real: a migrated PostgreSQL database, LocalStack's S3 over HTTP (which
enforces presigned POST policies), and a JWKS served over HTTP by pytest-httpserver.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import pytest
from pytest_httpserver import HTTPServer

from petshots_core.settings import Settings
from petshots_devstack.uploads_bucket import s3_client
from petshots_devstack.waiting import free_port
from petshots_testkit.database import created_database
from petshots_testkit.logscan import LogTap, SecretRegistry, SecretsInLogs, log_tap, secret_registry
from petshots_testkit.mail import MailSink, mail_sink
from petshots_testkit.tokens import CLIENT_ID, TokenIssuer

if TYPE_CHECKING:
    # Imported where used: every pytest session loads this plugin, and many need no database.
    from sqlalchemy.ext.asyncio import AsyncEngine

S3_REGION = "us-east-1"


def pytest_configure(config: pytest.Config) -> None:
    # Every log line of the session is scanned for the secrets it saw (petshots_testkit.logscan).
    if not config.pluginmanager.has_plugin("petshots-secrets-in-logs"):
        config.pluginmanager.register(SecretsInLogs(), "petshots-secrets-in-logs")


@pytest.fixture(scope="session")
def captured_logs() -> LogTap:
    """Every log line the services emitted so far in this session (rendered text)."""
    return log_tap()


@pytest.fixture(scope="session")
def secrets_seen() -> SecretRegistry:
    """The secrets of this session: record any a test makes that no client carried."""
    return secret_registry()


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with created_database() as url:
        yield url


@pytest.fixture(scope="session")
async def db(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the session's database, for rows a test reads or writes directly."""
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A LocalStack of this test session's own, on a free port: a shared one could be stopped
    by whichever session started it while this one still uses it."""
    from petshots_devstack.localstack import running
    from petshots_devstack.paths import StateLayout

    state = StateLayout(tmp_path_factory.mktemp("localstack-state"))
    with running(state, port=free_port()) as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def uploads_bucket(s3_endpoint: str) -> str:
    name = f"petshots-test-{uuid.uuid4().hex[:8]}"
    s3_client(s3_endpoint).create_bucket(Bucket=name)
    return name


@pytest.fixture(scope="session")
def jwks_server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture(scope="session")
def token_issuer(jwks_server: HTTPServer) -> TokenIssuer:
    issuer = TokenIssuer(issuer="http://issuer.test/auth")
    jwks_server.expect_request("/jwks.json").respond_with_json(issuer.jwks())
    return issuer


@pytest.fixture(scope="session")
def settings(
    database_url: str,
    s3_endpoint: str,
    uploads_bucket: str,
    jwks_server: HTTPServer,
    token_issuer: TokenIssuer,
) -> Settings:
    return Settings(
        env="test",
        database_url=database_url,
        s3_endpoint_url=s3_endpoint,
        s3_region=S3_REGION,
        s3_access_key_id="test",
        s3_secret_access_key="test",
        uploads_bucket=uploads_bucket,
        jwks_url=jwks_server.url_for("/jwks.json"),
        token_issuer=token_issuer.issuer,
        token_client_ids=[CLIENT_ID],
        log_json=True,
    )


@pytest.fixture
def smtp_sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailSink]:
    """A fresh SMTP sink per test; ``smtp_sink.messages()`` parses what it received."""
    with mail_sink(tmp_path_factory.mktemp("mail")) as sink:
        yield sink


@pytest.fixture(scope="session")
def session_smtp_sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailSink]:
    """One SMTP sink for the session, for apps built once per session; tell the tests' mail
    apart by address (``session_smtp_sink.to(address)``)."""
    with mail_sink(tmp_path_factory.mktemp("session-mail")) as sink:
        yield sink
