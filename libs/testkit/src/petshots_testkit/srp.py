"""Logging in as the SPA does: SRP through ``/auth/login/start`` and ``/auth/login/finish``,
with pycognito's client-side math (what Cognito's own clients compute)."""

from __future__ import annotations

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pycognito.aws_srp import AWSSRP


def srp_client(email: str, password: str, pool_id: str, client_id: str) -> AWSSRP:
    # client=object(): pycognito must not build a boto3 client; only its SRP math is used.
    return AWSSRP(
        username=email, password=password, pool_id=pool_id, client_id=client_id, client=object()
    )


async def srp_login(
    client: AsyncTestClient[Litestar],
    email: str,
    password: str,
    *,
    tamper: bool = False,
    require_challenge: bool = False,
) -> httpx.Response:
    """The answer of ``/auth/login/finish``, or that of ``/auth/login/start`` when it refused
    (unless ``require_challenge``, which fails the test there). ``tamper`` changes the first
    character of the password-claim signature, as a forger would."""
    config = (await client.get("/auth/config")).json()
    srp = srp_client(email, password, config["user_pool_id"], config["client_id"])
    params = srp.get_auth_params()
    start = await client.post("/auth/login/start", json={"email": email, "srp_a": params["SRP_A"]})
    if require_challenge:
        assert start.status_code == 200, start.text
    if start.status_code != 200:
        return start
    body = start.json()
    answer = srp.process_challenge(body["challenge_parameters"], params)
    signature = answer["PASSWORD_CLAIM_SIGNATURE"]
    if tamper:
        signature = ("A" if signature[0] != "A" else "B") + signature[1:]
    return await client.post(
        "/auth/login/finish",
        json={
            "session": body["session"],
            "email": email,
            "timestamp": answer["TIMESTAMP"],
            "secret_block": answer["PASSWORD_CLAIM_SECRET_BLOCK"],
            "signature": signature,
        },
    )
