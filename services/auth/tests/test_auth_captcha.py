"""Turnstile on sign-up against a local stand-in of siteverify: pass, fail, garbage, timeout.

Everything but an explicit success refuses the sign-up and creates nothing (fail closed). In
production the secret is read from Secrets Manager by full ARN (LocalStack here) and cached.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import boto3
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pytest_httpserver import HTTPServer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from werkzeug import Request, Response

from petshots_auth.app import create_app
from petshots_auth.settings import AuthSettings

SECRET = "turnstile-test-secret"
SITE_KEY = "0x4AAAAAAAtest"
SEEN: list[dict[str, str]] = []


def siteverify(request: Request) -> Response:
    form = request.form.to_dict()
    SEEN.append(form)

    def answer(body: Any, status: int = 200) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json")

    if form.get("secret") != SECRET:
        return answer({"success": False, "error-codes": ["invalid-input-secret"]})
    token = form.get("response")
    if token == "pass":
        return answer({"success": True, "hostname": "localhost", "error-codes": []})
    if token == "other-host":
        return answer({"success": True, "hostname": "evil.example", "error-codes": []})
    if token == "garbage":
        return Response("<html>502 Bad Gateway</html>", status=200, content_type="text/html")
    if token == "wrong-shape":
        return answer({"ok": "yes"})
    if token == "server-error":
        return answer({"success": True}, status=500)
    if token == "slow":
        time.sleep(3.0)
        return answer({"success": True, "hostname": "localhost"})
    return answer({"success": False, "error-codes": ["invalid-input-response"]})


@pytest.fixture(scope="module")
def standin() -> Iterator[HTTPServer]:
    # Threaded: the "slow" answer must not hold up the requests of the tests after it.
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.expect_request("/siteverify", method="POST").respond_with_handler(siteverify)
    server.start()
    yield server
    server.clear()
    server.stop()


def captcha_settings(base: AuthSettings, standin: HTTPServer, **extra: Any) -> AuthSettings:
    return AuthSettings(
        **{
            **dict(base),
            "captcha_site_key": SITE_KEY,
            "captcha_secret": SECRET,
            "captcha_verify_url": standin.url_for("/siteverify"),
            "captcha_timeout_s": 1.0,
            "captcha_hostname": "localhost",
            **extra,
        }
    )


@pytest.fixture(scope="module")
async def captcha_client(
    auth_settings: AuthSettings, standin: HTTPServer
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=create_app(captcha_settings(auth_settings, standin))) as c:
        yield c


async def accounts(db: AsyncEngine, email: str) -> int:
    async with db.connect() as conn:
        return int(
            (
                await conn.execute(
                    text("SELECT count(*) FROM local_identities WHERE email = :e"), {"e": email}
                )
            ).scalar_one()
        )


async def test_config_publishes_the_site_key(captcha_client: AsyncTestClient[Litestar]) -> None:
    assert (await captcha_client.get("/auth/config")).json()["captcha_site_key"] == SITE_KEY


async def test_a_solved_captcha_signs_up(
    captcha_client: AsyncTestClient[Litestar], db: AsyncEngine, kit: Any
) -> None:
    email = kit.new_email()
    r = await captcha_client.post(
        "/auth/signup", json={"email": email, "password": kit.password, "captcha_token": "pass"}
    )
    assert r.status_code == 201, r.text
    assert await accounts(db, email) == 1
    assert SEEN[-1]["secret"] == SECRET and SEEN[-1]["response"] == "pass"


@pytest.mark.parametrize(
    ("token", "status", "code"),
    [
        (None, 400, "captcha_failed"),
        ("", 400, "captcha_failed"),
        ("wrong", 400, "captcha_failed"),
        ("other-host", 400, "captcha_failed"),
        ("x" * 4000, 400, "captcha_failed"),
        ("garbage", 503, "captcha_unavailable"),
        ("wrong-shape", 503, "captcha_unavailable"),
        ("server-error", 503, "captcha_unavailable"),
        ("slow", 503, "captcha_unavailable"),
    ],
)
async def test_everything_else_fails_closed(
    captcha_client: AsyncTestClient[Litestar],
    db: AsyncEngine,
    kit: Any,
    token: str | None,
    status: int,
    code: str,
) -> None:
    email = kit.new_email()
    body: dict[str, Any] = {"email": email, "password": kit.password}
    if token is not None:
        body["captcha_token"] = token
    started = time.monotonic()
    r = await captcha_client.post("/auth/signup", json=body)
    assert r.status_code == status, r.text
    assert r.json()["error"] == code
    assert time.monotonic() - started < 2.5  # the 1 s timeout bounds a 3 s verifier
    assert await accounts(db, email) == 0
    assert kit.mailbox.to(email) == []


async def test_secret_from_secrets_manager_by_full_arn(
    auth_settings: AuthSettings,
    standin: HTTPServer,
    db: AsyncEngine,
    kit: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    endpoint = auth_settings.s3_endpoint_url
    sm = boto3.client("secretsmanager", endpoint_url=endpoint, region_name="us-east-1")
    arn = sm.create_secret(
        Name=f"petshots/test/turnstile-{kit.new_email()[6:16]}", SecretString=SECRET
    )["ARN"]
    with pytest.raises(ValueError, match="full Secrets Manager ARN"):
        captcha_settings(
            auth_settings, standin, captcha_secret=None, captcha_secret_arn="petshots/turnstile"
        )
    settings = captcha_settings(
        auth_settings,
        standin,
        captcha_secret=None,
        captcha_secret_arn=arn,
        secretsmanager_endpoint_url=endpoint,
    )
    app = create_app(settings)
    async with AsyncTestClient(app=app) as c:
        for _ in range(2):
            email = kit.new_email()
            r = await c.post(
                "/auth/signup",
                json={"email": email, "password": kit.password, "captcha_token": "pass"},
            )
            assert r.status_code == 201, r.text
            assert await accounts(db, email) == 1
        source = app.state.auth.captcha._source
        assert source is not None and source.fetch_count == 1  # cached
