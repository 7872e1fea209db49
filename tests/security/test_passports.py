"""Public passports: guessing tokens is cut off fast, and every answer under /p says "do not
store, index, frame, sniff or refer" — pages, JSON, redirects, errors and 429s alike."""

from __future__ import annotations

import random
import secrets
import time
import uuid
from collections.abc import Callable

import httpx
from litestar import Litestar
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_testkit.live import LiveServer
from petshots_testkit.tenants import Tenant, passport_token

GUESSES = 1000
RATE_LIMIT, MISS_LIMIT = 60, 30  # the defaults (docs/passport.md)


def security_header_problems(r: httpx.Response) -> list[str]:
    h = r.headers
    csp = h.get("content-security-policy", "")
    checks = {
        "cache-control": h.get("cache-control") == "no-store",
        "referrer-policy": h.get("referrer-policy") == "no-referrer",
        "x-robots-tag": h.get("x-robots-tag") == "noindex, nofollow",
        "x-content-type-options": h.get("x-content-type-options") == "nosniff",
        "csp default-src": "default-src 'none'" in csp,
        "csp frame-ancestors": "frame-ancestors 'none'" in csp,
    }
    return [
        f"{r.request.url.path} {r.status_code}: {name}" for name, ok in checks.items() if not ok
    ]


def random_passport_path(rng: random.Random) -> str:
    token = secrets.token_urlsafe(24)
    return rng.choice(
        [f"/p/{token}", f"/p/{token}.json", f"/p/{token}/docs/{uuid.uuid4()}", f"/p/{token}?x=1"]
    )


async def test_every_kind_of_passport_answer_carries_the_headers(
    new_tenant: Callable[[], Tenant], db: AsyncEngine
) -> None:
    owner = new_tenant()
    pet = await owner.on("records").new_pet("Ollie")
    doc = await owner.on("records").new_doc(pet["id"])
    live = await owner.new_passport(pet["id"])
    expired = await owner.new_passport(pet["id"])
    revoked = await owner.new_passport(pet["id"])
    async with db.begin() as conn:
        await conn.execute(
            text("UPDATE passports SET expires_at = now() - interval '1 minute' WHERE id = :id"),
            {"id": uuid.UUID(expired["id"])},
        )
    assert (
        await owner.call("passport", "DELETE", f"/api/passports/{revoked['id']}")
    ).status_code == 204
    token = passport_token(live)
    answers = []
    for method, path, status in (
        ("GET", f"/p/{token}", 200),
        ("GET", f"/p/{token}.json", 200),
        ("GET", f"/p/{token}/docs/{doc['id']}", 302),
        ("GET", f"/p/{token}/docs/{uuid.uuid4()}", 404),
        ("GET", f"/p/{token}?through=not-a-date", 400),
        ("GET", f"/p/{token}.json?through=not-a-date", 400),
        ("GET", f"/p/{passport_token(expired)}", 410),
        ("GET", f"/p/{passport_token(expired)}.json", 410),
        ("GET", f"/p/{passport_token(revoked)}", 404),
        ("GET", f"/p/{secrets.token_urlsafe(24)}", 404),
        ("GET", "/p/", 404),
        ("GET", "/p/a/b/c/d", 404),
        ("POST", f"/p/{token}", 405),
        ("DELETE", f"/p/{token}.json", 405),
    ):
        r = await owner.call("passport", method, path, token=None, follow_redirects=False)
        assert r.status_code == status, (method, path, r.status_code)
        answers.append(r)
    problems = [p for r in answers for p in security_header_problems(r)]
    assert not problems, problems


async def test_guessing_tokens_is_rate_limited_long_before_the_end(
    make_app: Callable[..., Litestar], new_tenant: Callable[[], Tenant]
) -> None:
    """1,000 random tokens from one address over real HTTP, with the default limits and no
    trusted proxy: every X-Forwarded-For the guesser makes up is ignored."""
    owner = new_tenant()
    pet = await owner.on("records").new_pet("Ollie")
    real = passport_token(await owner.new_passport(pet["id"]))
    app = make_app(
        "passport",
        passport_rate_limit=RATE_LIMIT,
        passport_rate_limit_misses=MISS_LIMIT,
        trusted_proxy_addresses=[],
    )
    rng = random.Random(9)
    statuses: list[int] = []
    problems: list[str] = []
    with LiveServer(app) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
            started = time.monotonic()
            for _ in range(GUESSES):
                spoofed = f"203.0.113.{rng.randrange(1, 255)}"
                r = await client.get(
                    random_passport_path(rng),
                    headers={"X-Forwarded-For": spoofed, "User-Agent": f"guesser/{rng.random()}"},
                    follow_redirects=False,
                )
                statuses.append(r.status_code)
                problems += security_header_problems(r)
            elapsed = time.monotonic() - started
            # The limiter stands between the guesser and even a real passport now.
            after = await client.get(f"/p/{real}")
    assert elapsed < 60, "the run must fit in two rate-limit windows for the bound below"
    assert 200 not in statuses and 302 not in statuses
    first_limited = statuses.index(429)
    assert first_limited <= MISS_LIMIT, first_limited  # the 31st guess at the latest
    # At most one miss budget per window, and the run spans at most two windows.
    assert sum(1 for s in statuses if s != 429) <= 2 * MISS_LIMIT
    assert set(statuses) <= {404, 429}
    assert after.status_code == 429 and "Ollie" not in after.text
    assert after.headers["retry-after"].isdigit()
    assert not problems, problems[:5]
