"""Bad input to the public identity routes: a clear 4xx, nothing written, no account made."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_auth.app import create_app
from petshots_auth.settings import AuthSettings
from petshots_testkit.logscan import LogTap


async def identities(db: AsyncEngine, email: str) -> int:
    async with db.connect() as conn:
        return int(
            (
                await conn.execute(
                    text("SELECT count(*) FROM local_identities WHERE email = lower(:e)"),
                    {"e": email},
                )
            ).scalar_one()
        )


@pytest.mark.parametrize(
    ("password", "status"),
    [
        ("short1A", 422),
        ("alllowercase1", 422),
        ("ALLUPPERCASE1", 422),
        ("NoDigitsHere", 422),
        (" Leading-Space1", 422),
        ("x" * 257, 400),
        ("", 400),
    ],
)
async def test_weak_passwords(
    client: AsyncTestClient[Litestar], db: AsyncEngine, kit: Any, password: str, status: int
) -> None:
    email = kit.new_email()
    r = await client.post("/auth/signup", json={"email": email, "password": password})
    assert r.status_code == status, r.text
    assert set(r.json()) == {"error", "detail"}
    assert await identities(db, email) == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"email": "a@b.co"},
        {"email": "not-an-address", "password": "Correct-Horse-9"},
        {"email": "two@@example.com", "password": "Correct-Horse-9"},
        {"email": "new\nline@example.com", "password": "Correct-Horse-9"},
        {"email": 42, "password": "Correct-Horse-9"},
        {
            "email": "x@example.com",
            "password": "Correct-Horse-9",
            "sub": "00000000-0000-0000-0000-000000000000",
        },
        {"email": "x@example.com", "password": "Correct-Horse-9", "email_verified": True},
        ["not", "an", "object"],
    ],
)
async def test_bad_sign_up_bodies(
    client: AsyncTestClient[Litestar], db: AsyncEngine, body: Any
) -> None:
    r = await client.post("/auth/signup", json=body)
    assert 400 <= r.status_code < 500, r.text
    assert set(r.json()) == {"error", "detail"}
    if isinstance(body, dict) and isinstance(body.get("email"), str):
        assert await identities(db, body["email"]) == 0


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/auth/login/start", {"email": "x@example.com", "srp_a": "zz"}),
        ("/auth/login/start", {"email": "x@example.com", "srp_a": "0"}),
        ("/auth/login/start", {"email": "x@example.com", "srp_a": "f" * 2000}),
        ("/auth/login/start", {"email": "x@example.com"}),
        (
            "/auth/login/finish",
            {
                "session": "x",
                "email": "x@example.com",
                "timestamp": "now",
                "secret_block": "AAAA",
                "signature": "AAAA",
            },
        ),
        ("/auth/login/finish", {"session": "x"}),
        ("/auth/confirm", {"email": "x@example.com", "code": "12345"}),
        ("/auth/confirm", {"email": "x@example.com", "code": "abcdef"}),
        ("/auth/refresh", {"refresh_token": ""}),
        ("/auth/refresh", {"refresh_token": "made-up"}),
        (
            "/auth/reset-password",
            {"email": "x@example.com", "code": "1", "password": "New-Horse-42"},
        ),
    ],
)
async def test_bad_login_and_code_requests(
    client: AsyncTestClient[Litestar], path: str, body: dict[str, Any]
) -> None:
    r = await client.post(path, json=body)
    assert 400 <= r.status_code < 500, (path, r.status_code, r.text)
    assert set(r.json()) == {"error", "detail"}


async def test_malformed_json(client: AsyncTestClient[Litestar]) -> None:
    for raw in (b"{", b"not json", b"\xff\xfe", b'{"email": "' + b"x" * 100_000 + b'"}'):
        r = await client.post(
            "/auth/signup", content=raw, headers={"Content-Type": "application/json"}
        )
        assert 400 <= r.status_code < 500


async def test_public_requests_are_rate_limited_per_address(
    auth_settings: AuthSettings, kit: Any
) -> None:
    strict = auth_settings.model_copy(
        update={
            "public_requests_per_minute": 3,
            "redis_key_prefix": auth_settings.redis_key_prefix + "strict:",
        }
    )
    async with AsyncTestClient(app=create_app(strict)) as c:
        answers = [
            await c.post("/auth/forgot-password", json={"email": kit.new_email()}) for _ in range(5)
        ]
    assert [r.status_code for r in answers[:3]] == [202, 202, 202]
    assert answers[3].status_code == 429 and int(answers[3].headers["Retry-After"]) > 0


async def test_openapi_document_lists_every_operation(client: AsyncTestClient[Litestar]) -> None:
    r = await client.get("/auth/openapi.json")
    assert r.status_code == 200
    ops = {op["operationId"] for item in r.json()["paths"].values() for op in item.values()}
    assert ops == {
        "getAuthConfig",
        "signUp",
        "confirmSignUp",
        "resendConfirmationCode",
        "loginStart",
        "loginFinish",
        "refreshTokens",
        "forgotPassword",
        "resetPassword",
        "getJwks",
        "verifyAccessToken",
        "getMe",
        "getMySettings",
        "putMySettings",
        "logout",
        "deleteMe",
        "unsubscribePage",
        "unsubscribe",
    }


async def test_no_secret_reaches_the_logs(
    client: AsyncTestClient[Litestar], kit: Any, captured_logs: LogTap
) -> None:
    start = len(captured_logs.lines)
    email = await kit.sign_up_and_confirm()
    tokens = (await kit.login(email)).json()
    await client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    await kit.login(email, "Wrong-Horse-1")
    logs = "\n".join(captured_logs.lines[start:])
    for secret in (
        kit.password,
        "Wrong-Horse-1",
        tokens["access_token"],
        tokens["refresh_token"],
        tokens["id_token"],
        tokens["access_token"].split(".")[2],
    ):
        assert secret not in logs
    assert '"path": "/auth/login/finish"' in logs  # the logs were captured at all
