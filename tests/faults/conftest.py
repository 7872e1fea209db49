"""Fault-suite fixtures: private PostgreSQL and Redis, LocalStack S3, the services as real
processes. Dependencies are broken for real (a stopped server, a closed or silent port, a
SIGKILLed worker); nothing is mocked."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from pytest_httpserver import HTTPServer

from petshots_auth.keys import rsa_thumbprint
from petshots_testkit.bulk import DOCUMENT_COLUMNS, copy_rows, document_row
from petshots_testkit.processes import PrivatePostgres, PrivateRedis, Service, web_service
from petshots_testkit.tokens import CLIENT_ID, TokenIssuer

DATABASE = "petshots"
S3_REGION = "us-east-1"


@pytest.fixture(scope="session")
def fault_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fault-logs")


@pytest.fixture(scope="session")
def private_pg() -> Iterator[PrivatePostgres]:
    pg = PrivatePostgres(durable=False)
    try:
        pg.start()
        pg.create_database(DATABASE)
        yield pg
    finally:
        pg.destroy()


@pytest.fixture(scope="session")
def private_redis(fault_logs: Path) -> Iterator[PrivateRedis]:
    redis = PrivateRedis(fault_logs)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@pytest.fixture(scope="session")
def issuer(jwks_server: HTTPServer) -> TokenIssuer:
    """The suite's identity provider: its key is also the auth service's signing key, so one
    token opens every service (``kid`` is the RFC 7638 thumbprint, as the auth service uses)."""
    made = TokenIssuer(issuer="http://issuer.faults.test/auth")
    made.kid = rsa_thumbprint(made.key.public_key())
    jwks_server.expect_request("/faults-jwks.json").respond_with_json(made.jwks())
    return made


@pytest.fixture(scope="session")
def base_env(
    private_pg: PrivatePostgres,
    private_redis: PrivateRedis,
    s3_endpoint: str,
    uploads_bucket: str,
    jwks_server: HTTPServer,
    issuer: TokenIssuer,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, str]:
    """The environment every service process gets (storage can be overridden per test)."""
    state = tmp_path_factory.mktemp("fault-state")
    return {
        "PETSHOTS_ENV": "test",
        "PETSHOTS_DATABASE_URL": private_pg.url(DATABASE),
        "PETSHOTS_REDIS_URL": private_redis.url,
        "PETSHOTS_S3_ENDPOINT_URL": s3_endpoint,
        "PETSHOTS_S3_REGION": S3_REGION,
        "PETSHOTS_S3_ACCESS_KEY_ID": "test",
        "PETSHOTS_S3_SECRET_ACCESS_KEY": "test",
        "PETSHOTS_UPLOADS_BUCKET": uploads_bucket,
        "PETSHOTS_JWKS_URL": jwks_server.url_for("/faults-jwks.json"),
        "PETSHOTS_TOKEN_ISSUER": issuer.issuer,
        "PETSHOTS_SIGNING_KEYS": issuer.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        "PETSHOTS_TOKEN_CLIENT_IDS": CLIENT_ID,
        "PETSHOTS_STATE_DIR": str(state),
        "PETSHOTS_PUBLIC_BASE_URL": "http://localhost:8000",
        "PETSHOTS_LOG_JSON": "true",
        "PETSHOTS_PASSPORT_RATE_LIMIT": "100000",
        "PETSHOTS_PASSPORT_RATE_LIMIT_MISSES": "100000",
        # The limiter leaves a dead Redis alone this long: short, so recovery shows quickly.
        "PETSHOTS_PASSPORT_RATE_LIMIT_RETRY_S": "1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "HOME": str(state),
    }


@dataclass
class Stack:
    auth: Service
    records: Service
    passport: Service
    env: dict[str, str]
    logs: Path

    @property
    def http_services(self) -> list[Service]:
        return [self.auth, self.records, self.passport]


def make_services(env: Mapping[str, str], logs: Path, suffix: str = "") -> Stack:
    return Stack(
        auth=web_service("auth", env, logs, name=f"auth{suffix}"),
        records=web_service("records", env, logs, name=f"records{suffix}"),
        passport=web_service("passport", env, logs, name=f"passport{suffix}"),
        env=dict(env),
        logs=logs,
    )


@pytest.fixture(scope="session")
def stack(base_env: dict[str, str], fault_logs: Path) -> Iterator[Stack]:
    """auth, records and passport on the private Postgres/Redis and LocalStack S3."""
    running = make_services(base_env, fault_logs)
    try:
        for service in running.http_services:
            service.start()
        for service in running.http_services:
            service.wait_healthy()
        yield running
    finally:
        for service in running.http_services:
            service.stop()


# --- data -------------------------------------------------------------------------------


@dataclass
class SeededOwner:
    id: uuid.UUID
    email: str
    token: str
    pet_ids: list[uuid.UUID] = field(default_factory=list)
    doc_ids: list[uuid.UUID] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


OWNERS_COLUMNS = {
    "owners": ["id", "email", "timezone", "storage_prefix"],
    "pets": ["id", "owner_id", "name", "species"],
    "documents": DOCUMENT_COLUMNS,
}


async def insert_owners(
    dsn: str, count: int, *, due_in_days: int = 7, records_per_owner: int = 2
) -> list[tuple[uuid.UUID, str, list[uuid.UUID], list[uuid.UUID]]]:
    """Owners with one pet and ready records expiring ``due_in_days`` from today (so each has a
    reminder due today at the default 7-day threshold), written with COPY."""
    out = []
    expires = date.today() + timedelta(days=due_in_days)
    # documents has triggers that keep next_remind_on: COPY fires them row by row.
    async with copy_rows(dsn, OWNERS_COLUMNS, connect_timeout_s=10) as load:
        for _ in range(count):
            owner_id, pet_id = uuid.uuid4(), uuid.uuid4()
            email = f"owner-{owner_id.hex[:16]}@example.test"
            load.add("owners", (owner_id, email, "UTC", owner_id.hex))
            load.add("pets", (pet_id, owner_id, "Rex", "dog"))
            doc_ids = []
            for n in range(records_per_owner):
                doc_id = uuid.uuid4()
                label = "Rabies" if n == 0 else f"DHPP {n}"
                load.add(
                    "documents",
                    document_row(
                        doc_id,
                        owner_id,
                        pet_id,
                        label,
                        expires,
                        filename="certificate.pdf",
                        size_bytes=1000,
                    ),
                )
                doc_ids.append(doc_id)
            out.append((owner_id, email, [pet_id], doc_ids))
    return out


@pytest.fixture(scope="session")
def owner(private_pg: PrivatePostgres, issuer: TokenIssuer) -> SeededOwner:
    """One owner with a pet and two ready records (rows only; the files are not needed)."""
    [(owner_id, email, pets, docs)] = asyncio.run(
        insert_owners(private_pg.dsn(DATABASE), 1, due_in_days=200)
    )
    return SeededOwner(owner_id, email, issuer.token(owner_id), pets, docs)


@pytest.fixture(scope="session")
def passport_token(stack: Stack, owner: SeededOwner) -> str:
    """A live passport of the owner's pet, made through the passport service's owner API."""
    res = httpx.post(
        stack.passport.base_url + "/api/passports",
        json={"pet_id": str(owner.pet_ids[0]), "expires_in_days": 30},
        headers=owner.headers,
        timeout=10,
    )
    assert res.status_code == 201, res.text
    url: str = res.json()["url"]
    return url.rsplit("/", 1)[1]


def random_suffix() -> str:
    return secrets.token_hex(3)
