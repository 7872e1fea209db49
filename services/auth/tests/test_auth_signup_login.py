"""Sign-up → code from the mail sink → confirm → SRP login → refresh → logout, over HTTP."""

from __future__ import annotations

import uuid
from typing import Any

import jwt
from litestar import Litestar
from litestar.testing import AsyncTestClient


async def test_full_sign_up_login_refresh_logout(
    client: AsyncTestClient[Litestar], kit: Any
) -> None:
    email = kit.new_email()
    r = await client.post("/auth/signup", json={"email": email.upper(), "password": kit.password})
    assert r.status_code == 201, r.text
    assert r.json() == {"status": "confirmation_required"}

    # Not confirmed yet: the right password says so, after the SRP proof.
    early = await kit.login(email)
    assert early.status_code == 403, early.text
    assert early.json()["error"] == "user_not_confirmed"

    message = await kit.mail(email, "confirmation code")
    code = kit.code_in(message)
    assert code not in str(message["Subject"])
    wrong = "000000" if code != "000000" else "111111"
    assert (
        await client.post("/auth/confirm", json={"email": email, "code": wrong})
    ).status_code == 400
    r = await client.post("/auth/confirm", json={"email": email, "code": code})
    assert r.status_code == 200, r.text
    # A code works once.
    assert (
        await client.post("/auth/confirm", json={"email": email, "code": code})
    ).status_code == 400

    r = await kit.login(email)
    assert r.status_code == 200, r.text
    tokens = r.json()
    assert set(tokens) == {"access_token", "id_token", "refresh_token", "expires_in", "token_type"}
    assert tokens["expires_in"] == 3600

    jwks = (await client.get("/auth/.well-known/jwks.json")).json()
    header = jwt.get_unverified_header(tokens["access_token"])
    assert header["alg"] == "RS256" and header["kid"] in {k["kid"] for k in jwks["keys"]}
    key = jwt.PyJWK(next(k for k in jwks["keys"] if k["kid"] == header["kid"]))
    access = jwt.decode(
        tokens["access_token"], key.key, algorithms=["RS256"], options={"verify_aud": False}
    )
    assert access["token_use"] == "access" and access["client_id"] == "petshots-web"
    assert {"sub", "iss", "exp", "iat", "jti", "auth_time", "origin_jti"} <= set(access)
    identity = jwt.decode(
        tokens["id_token"], key.key, algorithms=["RS256"], audience="petshots-web"
    )
    assert identity["email"] == email and identity["token_use"] == "id"
    assert identity["sub"] == access["sub"]

    owner = {"Authorization": f"Bearer {tokens['access_token']}"}
    me = (await client.get("/auth/me", headers=owner)).json()
    assert me == {
        "sub": access["sub"],
        "email": email,
        "email_verified": True,
        "identity_provider": "local",
    }
    verify = await client.get("/auth/verify", headers=owner)
    assert verify.status_code == 200 and verify.headers["X-Petshots-User"] == access["sub"]

    refreshed = await client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    new_access = jwt.decode(
        refreshed.json()["access_token"],
        key.key,
        algorithms=["RS256"],
        options={"verify_aud": False},
    )
    assert new_access["sub"] == access["sub"]
    assert new_access["origin_jti"] == access["origin_jti"]
    assert new_access["jti"] != access["jti"]

    out = await client.post(
        "/auth/logout", headers=owner, json={"refresh_token": tokens["refresh_token"]}
    )
    assert out.status_code == 204, out.text
    again = await client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert again.status_code == 401
    assert again.json()["error"] == "invalid_refresh_token"


async def test_logout_of_someone_elses_refresh_token_changes_nothing(
    client: AsyncTestClient[Litestar], signed_up: Any
) -> None:
    alice, mallory = await signed_up(), await signed_up()
    r = await client.post(
        "/auth/logout", headers=mallory.headers, json={"refresh_token": alice.refresh_token}
    )
    assert r.status_code == 204
    assert (
        await client.post("/auth/refresh", json={"refresh_token": alice.refresh_token})
    ).status_code == 200


async def test_wrong_password_is_401_and_counts_toward_lockout(
    client: AsyncTestClient[Litestar], signed_up: Any, throttle: Any, kit: Any
) -> None:
    owner = await signed_up()
    limit = throttle.policy.max_failures_per_account
    for attempt in range(1, limit):
        r = await kit.login(owner.email, "Wrong-Horse-9")
        assert r.status_code == 401, r.text
        assert r.json() == {
            "error": "not_authorized",
            "detail": "Incorrect e-mail address or password.",
        }
        assert await throttle.failures(owner.email) == attempt
    r = await kit.login(owner.email, "Wrong-Horse-9")
    assert r.status_code == 401
    # Locked now: even the right password is refused until the lockout ends.
    locked = await kit.login(owner.email)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0


async def test_success_resets_the_failure_count(
    client: AsyncTestClient[Litestar], signed_up: Any, throttle: Any, kit: Any
) -> None:
    owner = await signed_up()
    assert (await kit.login(owner.email, "Wrong-Horse-9")).status_code == 401
    assert await throttle.failures(owner.email) == 1
    assert (await kit.login(owner.email)).status_code == 200
    assert await throttle.failures(owner.email) == 0


async def test_unknown_account_fails_like_a_wrong_password_and_is_counted(
    throttle: Any, kit: Any
) -> None:
    email = kit.new_email()
    r = await kit.login(email)
    assert r.status_code == 401
    assert r.json()["error"] == "not_authorized"
    assert await throttle.failures(email) == 1


async def test_a_finish_request_cannot_be_replayed(
    client: AsyncTestClient[Litestar], signed_up: Any, kit: Any
) -> None:
    owner = await signed_up()
    config = (await client.get("/auth/config")).json()
    aws = kit.srp_client(owner.email, kit.password, config["user_pool_id"], config["client_id"])
    params = aws.get_auth_params()
    start = (
        await client.post(
            "/auth/login/start", json={"email": owner.email, "srp_a": params["SRP_A"]}
        )
    ).json()
    answer = aws.process_challenge(start["challenge_parameters"], params)
    body = {
        "session": start["session"],
        "email": owner.email,
        "timestamp": answer["TIMESTAMP"],
        "secret_block": answer["PASSWORD_CLAIM_SECRET_BLOCK"],
        "signature": answer["PASSWORD_CLAIM_SIGNATURE"],
    }
    assert (await client.post("/auth/login/finish", json=body)).status_code == 200
    assert (await client.post("/auth/login/finish", json=body)).status_code == 401
    # A session from one login does not go with another e-mail address.
    other = {**body, "email": kit.new_email()}
    assert (await client.post("/auth/login/finish", json=other)).status_code == 401


async def test_config_has_no_captcha_locally(client: AsyncTestClient[Litestar]) -> None:
    config = (await client.get("/auth/config")).json()
    assert config == {
        "identity_provider": "local",
        "user_pool_id": "local_Petshots",
        "client_id": "petshots-web",
        "region": None,
        "captcha_site_key": None,
    }


async def test_tokens_of_a_sub_are_uuids(signed_up: Any) -> None:
    owner = await signed_up()
    assert isinstance(owner.sub, uuid.UUID)


async def test_ready_means_database_and_redis(client: AsyncTestClient[Litestar]) -> None:
    r = await client.get("/readyz")
    assert r.status_code == 200
    assert r.json()["checks"] == {"database": "ok", "redis": "ok"}
