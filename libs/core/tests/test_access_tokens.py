"""The shared verifier against a JWKS served over real HTTP."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from petshots_core.access_tokens import AccessTokenVerifier, InvalidToken, JwksCache
from petshots_testkit.tokens import CLIENT_ID, TokenIssuer


def make_verifier(
    server: HTTPServer, issuer: TokenIssuer, **cache_kw: object
) -> AccessTokenVerifier:
    cache = JwksCache(server.url_for("/jwks.json"), **cache_kw)  # type: ignore[arg-type]
    return AccessTokenVerifier(cache, issuer=issuer.issuer, client_ids=frozenset({CLIENT_ID}))


async def test_valid_access_token(served: HTTPServer, issuer: TokenIssuer) -> None:
    sub = uuid.uuid4()
    claims = await make_verifier(served, issuer).verify(issuer.token(sub))
    assert claims.sub == sub
    assert claims.client_id == CLIENT_ID


async def test_every_forged_token_is_rejected(served: HTTPServer, issuer: TokenIssuer) -> None:
    verifier = make_verifier(served, issuer)
    forged = issuer.forged(uuid.uuid4())
    assert len(forged) >= 12
    for name, token in forged.items():
        with pytest.raises(InvalidToken):
            await verifier.verify(token)
            pytest.fail(f"{name} was accepted")


async def test_unknown_kids_refresh_at_most_once_per_interval(
    served: HTTPServer, issuer: TokenIssuer, clock: Any
) -> None:
    verifier = make_verifier(served, issuer, clock=clock)
    sub = uuid.uuid4()
    await verifier.verify(issuer.token(sub))
    assert verifier.jwks.fetch_count == 1

    async def attempt(i: int) -> None:
        with pytest.raises(InvalidToken):
            await verifier.verify(issuer.token(sub, headers={"kid": f"random-{i}"}))

    await asyncio.gather(*(attempt(i) for i in range(1000)))
    # The first fetch was just now: within 10 s nothing more may be fetched.
    assert verifier.jwks.fetch_count == 1
    clock.now += 10.0
    await asyncio.gather(*(attempt(i) for i in range(1000)))
    assert verifier.jwks.fetch_count == 2  # one refresh, single-flight, for a thousand kids
    assert len(served.log) == 2


async def test_rotation_is_picked_up_on_unknown_kid(httpserver: HTTPServer, clock: Any) -> None:
    old, new = TokenIssuer(issuer="http://i/auth"), TokenIssuer(issuer="http://i/auth")
    new.key, new.kid = new.key, "second"
    httpserver.expect_ordered_request("/jwks.json").respond_with_json(old.jwks())
    httpserver.expect_ordered_request("/jwks.json").respond_with_json(
        {"keys": old.jwks()["keys"] + new.jwks()["keys"]}
    )
    verifier = make_verifier(httpserver, old, clock=clock)
    await verifier.verify(old.token(uuid.uuid4()))
    clock.now += 11
    assert (await verifier.verify(new.token(uuid.uuid4()))).client_id == CLIENT_ID


async def test_slow_jwks_endpoint_times_out_fast(
    httpserver: HTTPServer, issuer: TokenIssuer
) -> None:
    def slow(_: Request) -> Response:
        time.sleep(2)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/jwks.json").respond_with_handler(slow)
    verifier = make_verifier(httpserver, issuer, fetch_timeout_s=0.5)
    started = time.monotonic()
    with pytest.raises(InvalidToken):
        await verifier.verify(issuer.token(uuid.uuid4()))
    assert time.monotonic() - started < 1.5


async def test_jwks_outage_keeps_known_keys(
    httpserver: HTTPServer, issuer: TokenIssuer, clock: Any
) -> None:
    httpserver.expect_ordered_request("/jwks.json").respond_with_json(issuer.jwks())
    httpserver.expect_ordered_request("/jwks.json").respond_with_data("boom", status=500)
    verifier = make_verifier(httpserver, issuer, clock=clock, max_age_s=60)
    await verifier.verify(issuer.token(uuid.uuid4()))
    clock.now += 120  # keys are stale, the refresh fails: the known key still verifies
    assert (await verifier.verify(issuer.token(uuid.uuid4()))).client_id == CLIENT_ID


async def test_jwks_ignores_non_rs256_keys(httpserver: HTTPServer, issuer: TokenIssuer) -> None:
    jwk = issuer.jwks()["keys"][0]
    httpserver.expect_request("/jwks.json").respond_with_json(
        {"keys": [{**jwk, "alg": "RS512"}, {"kty": "oct", "k": "c2VjcmV0", "kid": issuer.kid}]}
    )
    with pytest.raises(InvalidToken):
        await make_verifier(httpserver, issuer).verify(issuer.token(uuid.uuid4()))


async def test_requests_during_the_first_fetch_wait_for_its_keys(
    served: HTTPServer, issuer: TokenIssuer
) -> None:
    """A cold worker's first burst: one fetch, and every request waits for it rather than
    being told its (perfectly good) kid is unknown."""
    verifier = make_verifier(served, issuer)
    subs = [uuid.uuid4() for _ in range(20)]
    claims = await asyncio.gather(*(verifier.verify(issuer.token(s)) for s in subs))
    assert [c.sub for c in claims] == subs
    assert verifier.jwks.fetch_count == 1
