"""A database that cannot be reached: a quick, generic 503 with the passport headers."""

from __future__ import annotations

import time
from collections.abc import Callable

from litestar.testing import AsyncTestClient

from petshots_passport.app import create_app
from petshots_passport.settings import PassportSettings
from petshots_passport.tokens import new_token


async def test_public_page_answers_503_while_postgres_is_unreachable(
    make_settings: Callable[..., PassportSettings],
) -> None:
    # Nothing listens on port 1; the app still starts (the pool connects lazily).
    settings = make_settings(
        database_url="postgresql+asyncpg://postgres@127.0.0.1:1/petshots",
        db_connect_timeout_s=1.0,
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        started = time.perf_counter()
        for suffix in ("", ".json", "/docs/00000000-0000-0000-0000-000000000000"):
            r = await client.get(f"/p/{new_token()}{suffix}")
            assert r.status_code == 503, (suffix, r.text)
            assert r.json()["error"] == "service_unavailable"
            assert "Traceback" not in r.text and "127.0.0.1" not in r.text
            assert r.headers["cache-control"] == "no-store"
            assert r.headers["x-robots-tag"] == "noindex, nofollow"
            assert "default-src 'none'" in r.headers["content-security-policy"]
        assert time.perf_counter() - started < 5
