"""Rate limits on /p/* per client address, kept in Redis; Redis down → fail open, logged.

These tests build their own apps with tight limits and a short window so they finish fast.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from petshots_passport.app import create_app
from petshots_passport.domain.public.guard import PublicGuard
from petshots_passport.settings import PassportSettings
from petshots_passport.tokens import new_token

WINDOW_S = 2


@asynccontextmanager
async def serving(settings: PassportSettings) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=create_app(settings)) as c:
        yield c


async def start_of_a_window() -> None:
    """Counters are per fixed window: start right after a boundary so a run fits in one."""
    await asyncio.sleep(WINDOW_S - (time.time() % WINDOW_S) + 0.05)


async def wait_out(r: httpx.Response) -> None:
    retry = int(r.headers["retry-after"])
    assert 1 <= retry <= WINDOW_S
    await asyncio.sleep(retry + 0.1)


def assert_limited(r: httpx.Response) -> None:
    assert r.status_code == 429
    assert r.headers["retry-after"].isdigit()
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-robots-tag"] == "noindex, nofollow"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


async def test_requests_beyond_the_limit_get_429_then_recover(
    make_settings: Callable[..., PassportSettings], person: Any
) -> None:
    pet = await person.records.new_pet("Ollie")
    passport = await person.new_passport(pet["id"])
    settings = make_settings(
        passport_rate_limit=5, passport_rate_limit_misses=50, passport_rate_limit_window_s=WINDOW_S
    )
    async with serving(settings) as client:
        page = person.public_path(passport)
        await start_of_a_window()
        for _ in range(5):
            assert (await client.get(page)).status_code == 200
        limited = await client.get(page)
        assert_limited(limited)
        assert "Too many requests" in limited.text and "Ollie" not in limited.text
        assert limited.headers["content-type"].startswith("text/html")
        as_json = await client.get(page + ".json")
        assert_limited(as_json)
        assert as_json.json()["error"] == "rate_limited"
        await wait_out(limited)
        recovered = await client.get(page)
        assert recovered.status_code == 200 and "Ollie" in recovered.text


async def test_guessing_tokens_is_cut_off_sooner(
    make_settings: Callable[..., PassportSettings], person: Any
) -> None:
    pet = await person.records.new_pet("Ollie")
    passport = await person.new_passport(pet["id"])
    settings = make_settings(
        passport_rate_limit=50, passport_rate_limit_misses=3, passport_rate_limit_window_s=WINDOW_S
    )
    async with serving(settings) as client:
        await start_of_a_window()
        for _ in range(3):
            assert (await client.get(f"/p/{new_token()}")).status_code == 404
        # Now even a real passport waits: the client is guessing.
        blocked = await client.get(person.public_path(passport))
        assert_limited(blocked)
        # Further guesses: not one gets past the limiter to the database.
        statuses = {(await client.get(f"/p/{new_token()}")).status_code for _ in range(200)}
        assert statuses == {429}
        await start_of_a_window()  # the next one: the misses are forgotten
        assert (await client.get(person.public_path(passport))).status_code == 200


async def test_redis_down_fails_open_and_says_so(
    make_settings: Callable[..., PassportSettings],
    person: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pet = await person.records.new_pet("Ollie")
    passport = await person.new_passport(pet["id"])
    # Nothing listens on port 1: every Redis call fails at once.
    settings = make_settings(
        redis_url="redis://127.0.0.1:1/0",
        passport_rate_limit=2,
        passport_rate_limit_misses=1,
        passport_rate_limit_window_s=WINDOW_S,
    )
    app = create_app(settings)
    guard = app.asgi_handler
    assert isinstance(guard, PublicGuard)
    capsys.readouterr()
    async with AsyncTestClient(app=app) as client:
        started = time.perf_counter()
        for _ in range(10):
            r = await client.get(person.public_path(passport))
            assert r.status_code == 200 and "Ollie" in r.text
        for _ in range(5):
            assert (await client.get(f"/p/{new_token()}")).status_code == 404
        assert time.perf_counter() - started < 5
    assert guard.limiter.fail_open_count >= 10
    logged = capsys.readouterr().out
    assert "passport_rate_limit_unavailable_fail_open" in logged
    # Logged once per outage, not once per request.
    assert logged.count("passport_rate_limit_unavailable_fail_open") == 1


async def test_download_links_really_expire(
    make_settings: Callable[..., PassportSettings], person: Any
) -> None:
    pet = await person.records.new_pet("Ollie")
    doc = await person.records.new_doc(pet["id"])
    passport = await person.new_passport(pet["id"])
    # 3 s: long enough that a loaded machine still fetches it in time, short enough to wait out.
    async with serving(make_settings(passport_download_ttl_s=3)) as client:
        r = await client.get(
            person.public_path(passport, f"/docs/{doc['id']}"), follow_redirects=False
        )
        assert r.status_code == 302
        location = r.headers["location"]
        assert httpx.get(location, timeout=10).status_code == 200
        await asyncio.sleep(4.0)
        expired = httpx.get(location, timeout=10)
        assert expired.status_code == 403, expired.text
        assert b"PDF" not in expired.content
