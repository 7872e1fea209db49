"""Verified claims are reused per token for a short while: never past exp, bounded, and only
for tokens that verified."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from petshots_core.access_tokens import AccessClaims, AccessTokenVerifier, InvalidToken, JwksCache
from petshots_core.claims_cache import ClaimsCache
from petshots_testkit.tokens import CLIENT_ID, TokenIssuer


def cached_verifier(
    server: HTTPServer, issuer: TokenIssuer, cache: ClaimsCache[AccessClaims]
) -> AccessTokenVerifier:
    return AccessTokenVerifier(
        JwksCache(server.url_for("/jwks.json")),
        issuer=issuer.issuer,
        client_ids=frozenset({CLIENT_ID}),
        cache=cache,
    )


def counting(verifier: AccessTokenVerifier) -> list[str]:
    """Every token that goes through full verification (signature and claims)."""
    seen: list[str] = []
    full = verifier._verify

    async def spy(token: str) -> AccessClaims:
        seen.append(token)
        return await full(token)

    verifier._verify = spy  # type: ignore[method-assign]
    return seen


async def test_a_verified_token_is_not_verified_again_within_the_ttl(
    served: HTTPServer, issuer: TokenIssuer, clock: Any
) -> None:
    verifier = cached_verifier(served, issuer, ClaimsCache(ttl_s=60, max_entries=10, clock=clock))
    verified = counting(verifier)
    token = issuer.token(uuid.uuid4())
    first = await verifier.verify(token)
    clock.now += 59
    assert await verifier.verify(token) == first
    assert verified == [token]
    clock.now += 1  # the ttl is over: the signature and claims are checked again
    assert await verifier.verify(token) == first
    assert verified == [token, token]


def test_an_entry_never_outlives_the_tokens_exp(clock: Any) -> None:
    cache: ClaimsCache[str] = ClaimsCache(ttl_s=60, max_entries=10, clock=clock)
    cache.put("token", "claims", expires_at=clock.now + 5)
    clock.now += 4.9
    assert cache.get("token") == "claims"
    clock.now += 0.1
    assert cache.get("token") is None
    assert len(cache) == 0
    # Already expired (accepted only within the leeway): not kept at all.
    cache.put("late", "claims", expires_at=clock.now - 1)
    assert cache.get("late") is None and len(cache) == 0


async def test_an_expiring_token_is_verified_again_after_its_exp(
    served: HTTPServer, issuer: TokenIssuer
) -> None:
    cache: ClaimsCache[AccessClaims] = ClaimsCache(ttl_s=60, max_entries=10)
    verifier = cached_verifier(served, issuer, cache)
    verified = counting(verifier)
    # Expired 20 s ago: still accepted within the 30 s leeway, but never from the cache.
    token = issuer.token(uuid.uuid4(), exp=int(time.time()) - 20)
    await verifier.verify(token)
    await verifier.verify(token)
    assert verified == [token, token] and len(cache) == 0
    # Expired 40 s ago: past the leeway, refused every time.
    with pytest.raises(InvalidToken):
        await verifier.verify(issuer.token(uuid.uuid4(), exp=int(time.time()) - 40))


def test_the_cache_is_bounded_least_recently_used_first(clock: Any) -> None:
    cache: ClaimsCache[int] = ClaimsCache(ttl_s=60, max_entries=3, clock=clock)
    far = clock.now + 1_000_000
    for i in range(3):
        cache.put(f"t{i}", i, expires_at=far)
    assert cache.get("t0") == 0  # t0 is now the most recently used
    cache.put("t3", 3, expires_at=far)
    assert len(cache) == 3
    assert cache.get("t1") is None  # the least recently used went
    assert [cache.get(t) for t in ("t0", "t2", "t3")] == [0, 2, 3]
    for i in range(100):
        cache.put(f"flood{i}", i, expires_at=far)
    assert len(cache) == 3


async def test_only_tokens_that_verified_are_kept(served: HTTPServer, issuer: TokenIssuer) -> None:
    cache: ClaimsCache[AccessClaims] = ClaimsCache(ttl_s=60, max_entries=100)
    verifier = cached_verifier(served, issuer, cache)
    forged = issuer.forged(uuid.uuid4())
    for _ in range(2):  # a second round cannot be answered from the cache either
        for name, token in forged.items():
            with pytest.raises(InvalidToken):
                await verifier.verify(token)
                pytest.fail(f"{name} was accepted")
    assert len(cache) == 0


async def test_a_zero_ttl_turns_the_cache_off(served: HTTPServer, issuer: TokenIssuer) -> None:
    cache: ClaimsCache[AccessClaims] = ClaimsCache(ttl_s=0, max_entries=100)
    verifier = cached_verifier(served, issuer, cache)
    verified = counting(verifier)
    token = issuer.token(uuid.uuid4())
    await verifier.verify(token)
    await verifier.verify(token)
    assert verified == [token, token] and len(cache) == 0
