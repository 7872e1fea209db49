"""The cognito backend against moto's Cognito server over real HTTP.

moto checks the wiring (SECRET_HASH on sign-up, SRP start and refresh, the challenge names,
the token shapes) but not the security: it does not verify the SRP password claim (a wrong
password logs in) and accepts any confirmation code. Those properties are tested against the
local provider; here the point is that the relay speaks Cognito correctly.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import boto3
import jwt
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from moto.server import ThreadedMotoServer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_auth.app import create_app
from petshots_auth.backends.cognito import secret_hash
from petshots_auth.settings import AuthSettings
from petshots_devstack.waiting import free_port

REGION = "us-east-1"


@pytest.fixture(scope="module")
def aws_env() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AWS_ACCESS_KEY_ID", "test")
        mp.setenv("AWS_SECRET_ACCESS_KEY", "test")
        mp.setenv("AWS_EC2_METADATA_DISABLED", "true")
        yield


@pytest.fixture(scope="module")
def moto_url(aws_env: None) -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(scope="module")
def pool(moto_url: str) -> dict[str, str]:
    idp = boto3.client("cognito-idp", endpoint_url=moto_url, region_name=REGION)
    pool_id = idp.create_user_pool(
        PoolName="petshots",
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        Policies={
            "PasswordPolicy": {
                "MinimumLength": 8,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
            }
        },
    )["UserPool"]["Id"]
    app_client = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="petshots-web",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    return {
        "pool_id": pool_id,
        "client_id": app_client["ClientId"],
        "secret": app_client["ClientSecret"],
    }


@pytest.fixture(scope="module")
def cognito_settings(
    auth_settings: AuthSettings, moto_url: str, pool: dict[str, str]
) -> AuthSettings:
    return AuthSettings(
        **{
            **dict(auth_settings),
            "identity_backend": "cognito",
            "user_pool_id": pool["pool_id"],
            "cognito_region": REGION,
            "cognito_endpoint_url": moto_url,
            "cognito_client_secret": pool["secret"],
            "app_client_id": pool["client_id"],
            "token_client_ids": [pool["client_id"]],
            # moto's iss is the real AWS URL while its keys are served locally: two settings.
            "token_issuer": f"https://cognito-idp.{REGION}.amazonaws.com/{pool['pool_id']}",
            "jwks_url": f"{moto_url}/{pool['pool_id']}/.well-known/jwks.json",
        }
    )


@pytest.fixture(scope="module")
async def cognito(cognito_settings: AuthSettings) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=create_app(cognito_settings)) as c:
        yield c


def test_secret_hash_matches_pycognito() -> None:
    from pycognito.aws_srp import AWSSRP

    assert secret_hash("s3cret", "client", "user@example.com") == AWSSRP.get_secret_hash(
        "user@example.com", "client", "s3cret"
    )


async def test_config_names_the_pool(
    cognito: AsyncTestClient[Litestar], pool: dict[str, str]
) -> None:
    config = (await cognito.get("/auth/config")).json()
    assert config == {
        "identity_provider": "cognito",
        "user_pool_id": pool["pool_id"],
        "client_id": pool["client_id"],
        "region": REGION,
        "captcha_site_key": None,
    }
    # No local keys with Cognito: services use the pool's JWKS.
    assert (await cognito.get("/auth/.well-known/jwks.json")).status_code == 404


async def test_sign_up_confirm_srp_login_refresh_logout_delete(
    cognito: AsyncTestClient[Litestar],
    kit: Any,
    db: AsyncEngine,
    moto_url: str,
    pool: dict[str, str],
) -> None:
    email = kit.new_email()
    r = await cognito.post("/auth/signup", json={"email": email, "password": kit.password})
    assert r.status_code == 201, r.text
    # The same answer for an address that exists.
    again = await cognito.post("/auth/signup", json={"email": email, "password": kit.password})
    assert (again.status_code, again.content) == (r.status_code, r.content)
    r = await cognito.post("/auth/confirm", json={"email": email, "code": "123456"})
    assert r.status_code == 200, r.text

    r = await kit.login(email, client=cognito)  # pycognito's SRP math through our relay
    assert r.status_code == 200, r.text
    tokens = r.json()
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert claims["token_use"] == "access" and claims["client_id"] == pool["client_id"]
    owner = {"Authorization": f"Bearer {tokens['access_token']}"}
    me = (await cognito.get("/auth/me", headers=owner)).json()
    assert me == {
        "sub": claims["sub"],
        "email": email,
        "email_verified": True,
        "identity_provider": "cognito",
    }
    verify = await cognito.get("/auth/verify", headers=owner)
    assert verify.status_code == 200 and verify.headers["X-Petshots-User"] == claims["sub"]
    settings = await cognito.put(
        "/auth/me/settings",
        headers=owner,
        json={
            "reminders_enabled": True,
            "reminder_thresholds_days": [30, 7],
            "timezone": "Europe/Berlin",
            "due_soon_days": 14,
        },
    )
    assert settings.status_code == 200, settings.text

    refreshed = await cognito.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    assert (
        jwt.decode(refreshed.json()["access_token"], options={"verify_signature": False})["sub"]
        == claims["sub"]
    )

    assert (
        await cognito.post(
            "/auth/logout", headers=owner, json={"refresh_token": tokens["refresh_token"]}
        )
    ).status_code == 204
    assert (
        await cognito.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    ).status_code == 401

    assert (await cognito.post("/auth/forgot-password", json={"email": email})).status_code == 202
    assert (
        await cognito.post("/auth/forgot-password", json={"email": kit.new_email()})
    ).status_code == 202

    assert (await cognito.delete("/auth/me", headers=owner)).status_code == 204
    idp = boto3.client("cognito-idp", endpoint_url=moto_url, region_name=REGION)
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_get_user(UserPoolId=pool["pool_id"], Username=claims["sub"])
    assert (await cognito.get("/auth/me", headers=owner)).status_code == 401
    async with db.connect() as conn:
        left = (
            await conn.execute(
                text("SELECT count(*) FROM owners WHERE id = :s"), {"s": claims["sub"]}
            )
        ).scalar_one()
    assert left == 0


async def test_unknown_account_gets_a_decoy_challenge(
    cognito: AsyncTestClient[Litestar], kit: Any
) -> None:
    r = await kit.login(kit.new_email(), client=cognito)
    assert r.status_code == 401
    assert r.json()["error"] == "not_authorized"


async def test_every_call_carries_the_secret_hash(
    moto_url: str, pool: dict[str, str], kit: Any
) -> None:
    """Without the client secret, Cognito refuses sign-up and login: no way around our CAPTCHA."""
    idp = boto3.client("cognito-idp", endpoint_url=moto_url, region_name=REGION)
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(
            ClientId=pool["client_id"],
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": kit.new_email(), "SRP_A": "ab" * 64},
        )
