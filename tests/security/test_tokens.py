"""Forged, expired and stray tokens against every authenticated operation of every service,
and a flood of unknown ``kid``s that must not become a flood of JWKS fetches.

records and passport verify with the shared verifier and a JWKS over HTTP; auth verifies its
own tokens from its key set. The forgeries are made against the key they all trust.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import math
import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pytest_httpserver import HTTPServer

from petshots_core.access_tokens import JwksCache
from petshots_testkit.jwks import CountingJwks
from petshots_testkit.operations import openapi_operations
from petshots_testkit.tenants import Tenant
from petshots_testkit.tokens import TokenIssuer

FLOOD = 1000
FLOOD_SECONDS = 12.0  # longer than one refresh interval, so a second refresh is allowed
REFRESH_INTERVAL_S = 10.0


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def with_header(token: str, **header: Any) -> str:
    """The same payload and signature under another header (kid, alg...)."""
    _, payload, signature = token.split(".")
    head = _b64(json.dumps({"typ": "JWT", "alg": "RS256", **header}).encode())
    return f"{head}.{payload}.{signature}"


def extra_forgeries(issuer: TokenIssuer, sub: uuid.UUID, attacker_jwks: str) -> dict[str, str]:
    """Beyond the testkit catalogue: key injection, other algorithms, time claims."""
    now = int(time.time())
    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    claims = issuer.claims(sub)
    return {
        # "Fetch my keys from here": the verifier must never follow a token's own pointers.
        "jku_injection": jwt.encode(
            claims, attacker, algorithm="RS256", headers={"kid": "attacker", "jku": attacker_jwks}
        ),
        "x5u_injection": jwt.encode(
            claims, attacker, algorithm="RS256", headers={"kid": issuer.kid, "x5u": attacker_jwks}
        ),
        "rs512_with_real_key": jwt.encode(
            claims, issuer.key, algorithm="RS512", headers={"kid": issuer.kid}
        ),
        "ps256_with_real_key": jwt.encode(
            claims, issuer.key, algorithm="PS256", headers={"kid": issuer.kid}
        ),
        "not_yet_valid": issuer.token(sub, nbf=now + 3600),
        "issued_in_the_future": issuer.token(sub, iat=now + 3600, exp=now + 7200),
        "kid_path_traversal": with_header(issuer.token(sub), kid="../../../../etc/passwd"),
        "empty_signature": issuer.token(sub).rsplit(".", 1)[0] + ".",
        "missing_sub": issuer.token(sub, sub=None),
        "missing_client_id": issuer.token(sub, client_id=None),
        "token_use_missing": issuer.token(sub, token_use=None),
        "the_word_bearer": "Bearer",
    }


def authenticated_operations(apps: dict[str, Litestar]) -> list[tuple[str, str, str]]:
    found = []
    for service, app in apps.items():
        for op in openapi_operations(service, app.openapi_schema.to_schema()):
            if op.secured:
                ids = {p: str(uuid.uuid4()) for p in op.path_params}
                found.append((service, op.method, op.url(**ids)))
    return found


async def test_forged_tokens_are_refused_by_every_authenticated_operation(
    apps: dict[str, Litestar],
    clients: dict[str, AsyncTestClient[Litestar]],
    new_tenant: Callable[[], Tenant],
    issuer: TokenIssuer,
) -> None:
    tenant = new_tenant()
    pet = await tenant.on("records").new_pet("Ollie")
    attacker_keys = HTTPServer(host="127.0.0.1", port=0)
    attacker_keys.start()
    try:
        attacker_keys.expect_request("/keys.json").respond_with_json({"keys": []})
        forged = {
            **issuer.forged(tenant.sub),
            **extra_forgeries(issuer, tenant.sub, attacker_keys.url_for("/keys.json")),
        }
        ops = authenticated_operations(apps)
        assert len(ops) >= 25, ops
        accepted = []
        for service, method, path in ops:
            for name, token in forged.items():
                r = await clients[service].request(
                    method, path, headers={"Authorization": f"Bearer {token}"}, json={}
                )
                if r.status_code != 401 or r.json().get("error") != "unauthorized":
                    accepted.append(f"{service} {method} {path} {name}: {r.status_code}")
        assert not accepted, "\n".join(accepted)
        assert attacker_keys.log == [], "a verifier fetched keys from a URL in a token header"
    finally:
        attacker_keys.clear()
        attacker_keys.stop()
    # Nothing the forgeries did reached the owner's data, and the owner's token still works.
    r = await tenant.call("records", "GET", f"/api/pets/{pet['id']}")
    assert r.status_code == 200 and r.json()["name"] == "Ollie"


async def test_a_deleted_accounts_token_is_refused_everywhere(
    new_tenant: Callable[[], Tenant],
) -> None:
    """An access token outlives the account for up to an hour; no service honours it."""
    tenant = new_tenant()
    pet = await tenant.on("records").new_pet("Ollie")
    passport = await tenant.new_passport(pet["id"])
    assert (await tenant.call("auth", "DELETE", "/auth/me")).status_code == 204
    for service, path in (
        ("records", f"/api/pets/{pet['id']}"),
        ("records", "/api/pets"),
        ("passport", f"/api/passports/{passport['id']}"),
        ("auth", "/auth/me"),
        ("auth", "/auth/verify"),
    ):
        r = await tenant.call(service, "GET", path)
        assert r.status_code == 401, (service, path, r.status_code)
    # ... and cannot bring the account back by writing.
    r = await tenant.call("records", "POST", "/api/pets", json={"name": "Back"})
    assert r.status_code == 401


class _NoExists:
    """A service's Redis client whose per-request deny-list check fails the test if used."""

    def __init__(self, redis: Any, service: str) -> None:
        self._redis = redis
        self._service = service

    def __getattr__(self, name: str) -> Any:
        return getattr(self._redis, name)

    async def exists(self, *keys: str) -> int:
        raise AssertionError(f"{self._service} asked Redis whether a subject is deleted")


async def test_a_deleted_accounts_cached_token_is_refused_at_once_from_memory(
    apps: dict[str, Litestar],
    new_tenant: Callable[[], Tenant],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each service has just verified the token (its claims are cached) and checks the deny
    list in memory, without a Redis round trip: the deletion still reaches every service
    before ``DELETE /auth/me`` answers."""
    tenant = new_tenant()
    pet = await tenant.on("records").new_pet("Ollie")
    passport = await tenant.new_passport(pet["id"])
    assert (await tenant.call("auth", "GET", "/auth/verify")).status_code == 200
    for service, app in apps.items():
        assert app.state.verifier.cache.get(tenant.token) is not None, service
        assert app.state.denylist.live, service
        monkeypatch.setattr(app.state.denylist, "_redis", _NoExists(app.state.redis, service))

    assert (await tenant.call("auth", "DELETE", "/auth/me")).status_code == 204
    for service, path in (
        ("records", f"/api/pets/{pet['id']}"),
        ("records", "/api/dashboard"),
        ("passport", f"/api/passports/{passport['id']}"),
        ("auth", "/auth/verify"),
    ):
        r = await tenant.call(service, "GET", path)
        assert r.status_code == 401, (service, path, r.status_code)
    for service, app in apps.items():
        assert app.state.verifier.cache.get(tenant.token) is not None, service  # still cached


async def _flood(
    client: AsyncTestClient[Litestar], path: str, valid: str, seconds: float
) -> tuple[float, list[int]]:
    """One valid call, then FLOOD calls with random kids spread over ``seconds``."""
    assert (await client.get(path, headers={"Authorization": f"Bearer {valid}"})).status_code == 200
    started = time.monotonic()
    statuses = []
    for i in range(FLOOD):
        token = with_header(valid, kid=uuid.uuid4().hex)
        r = await client.get(path, headers={"Authorization": f"Bearer {token}"})
        statuses.append(r.status_code)
        await asyncio.sleep(max(0.0, started + seconds * (i + 1) / FLOOD - time.monotonic()))
    return time.monotonic(), statuses


def assert_rate_limited(fetch_times: list[float], span: float, service: str) -> None:
    """At most one fetch per refresh interval: one at the start, then one per full interval."""
    allowed = 1 + math.floor(span / REFRESH_INTERVAL_S)
    assert 1 <= len(fetch_times) <= allowed, (service, len(fetch_times), span)
    gaps = [b - a for a, b in itertools.pairwise(fetch_times)]
    assert all(gap >= REFRESH_INTERVAL_S - 0.1 for gap in gaps), (service, gaps)


async def test_a_flood_of_unknown_kids_fetches_the_jwks_at_most_once_per_10_s(
    make_app: Callable[..., Litestar], jwks: CountingJwks, issuer: TokenIssuer
) -> None:
    """1,000 requests per service, each with a random kid, spread over 12 s, all services at
    once: each verifier fetches its keys on the first call and at most once per 10 s after."""
    apps = {
        "records": make_app("records", "flood-records"),
        "passport": make_app("passport", "flood-passport"),
        "auth": make_app("auth"),
    }
    paths = {"records": "/api/pets", "passport": "/api/passports", "auth": "/auth/verify"}
    auth_cache: JwksCache = apps["auth"].state.verifier.jwks
    auth_fetches: list[float] = []
    fetch = auth_cache._fetch

    async def counted_fetch() -> Any:  # auth reads its own key set: count those reads
        auth_fetches.append(time.monotonic())
        return await fetch()

    auth_cache._fetch = counted_fetch  # type: ignore[method-assign]
    since = time.monotonic()
    valid = issuer.token(uuid.uuid4())
    async with (
        AsyncTestClient(app=apps["records"]) as records,
        AsyncTestClient(app=apps["passport"]) as passport,
        AsyncTestClient(app=apps["auth"]) as auth,
    ):
        clients = {"records": records, "passport": passport, "auth": auth}
        results = await asyncio.gather(
            *(_flood(clients[s], paths[s], valid, FLOOD_SECONDS) for s in paths)
        )
    for service, (ended, statuses) in zip(paths, results, strict=True):
        assert statuses == [401] * FLOOD, service
        fetched = (
            auth_fetches if service == "auth" else jwks.fetches(f"flood-{service}", since=since)
        )
        assert_rate_limited(fetched, ended - since, service)
        # A kid unknown for a whole interval does get its refresh (new keys are picked up).
        assert len(fetched) >= 2, (service, fetched)
