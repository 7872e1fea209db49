"""Views asked for in one turn of the event loop share one statement, each answered alone."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_core.storage import Storage
from petshots_passport.domain.public.services import Gone, LivePassport, PublicPassports, Viewer
from petshots_passport.settings import PassportSettings
from petshots_passport.tokens import new_token, token_hash

BROWSER = Viewer("browser", "mobile", "203.0.113.0/24")
PREVIEW = Viewer("link_preview", "bot", None)


async def views_of(db: AsyncEngine, passport_id: str) -> list[tuple[str, str, str | None]]:
    async with db.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT agent_class, device, network FROM passport_views"
                " WHERE passport_id = :p ORDER BY id"
            ),
            {"p": uuid.UUID(passport_id)},
        )
        return [(r.agent_class, r.device, r.network) for r in rows]


async def test_one_statement_for_views_asked_together(
    make_settings: Callable[..., PassportSettings],
    person: Any,
    expire_passport: Any,
    db: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ollie = await person.records.new_pet("Ollie")
    biscuit = await person.records.new_pet("Biscuit", species="cat")
    await person.records.new_doc(ollie["id"], label="Rabies")
    await person.records.new_doc(ollie["id"], label="DHPP")
    first = await person.new_passport(ollie["id"])
    second = await person.new_passport(biscuit["id"])
    old = await person.new_passport(ollie["id"])
    await expire_passport(old["id"])
    settings = make_settings()
    passports = PublicPassports(Storage(settings), settings)
    await passports.start()  # the pool, on this test's event loop
    try:
        await views_together(passports, person, first, second, old, db, monkeypatch)
    finally:
        await passports.close()


async def views_together(
    passports: PublicPassports,
    person: Any,
    first: dict[str, Any],
    second: dict[str, Any],
    old: dict[str, Any],
    db: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:

    statements: list[int] = []
    fetch = passports._pool.fetch

    async def counting(query: str, *args: Any) -> list[Any]:
        statements.append(len(args[0]))
        return await fetch(query, *args)

    monkeypatch.setattr(passports._pool, "fetch", counting)
    now = datetime.now(UTC)

    def asked(passport: dict[str, Any] | None, viewer: Viewer = BROWSER) -> Any:
        token = person.token_of(passport) if passport else new_token()
        return passports.open(token_hash(token), now=now, viewer=viewer)

    answers = await asyncio.gather(
        asked(first),
        asked(second, PREVIEW),
        asked(old),
        asked(None),
        asked(first),  # the same passport twice: two views
    )

    assert statements == [5]
    one, two, expired, missing, again = answers
    assert isinstance(one, LivePassport) and isinstance(again, LivePassport)
    assert one.pet_name == again.pet_name == "Ollie"
    assert sorted(r.label for r in one.records) == ["DHPP", "Rabies"]
    assert isinstance(two, LivePassport) and two.pet_name == "Biscuit" and two.records == []
    assert expired is Gone.EXPIRED and missing is Gone.NOT_FOUND
    browser_view = ("browser", "mobile", "203.0.113.0/24")
    assert await views_of(db, first["id"]) == [browser_view, browser_view]
    assert await views_of(db, second["id"]) == [("link_preview", "bot", None)]
    assert await views_of(db, old["id"]) == []

    # Alone, a view is its own statement, no later than it would have been.
    assert isinstance(await asked(second), LivePassport)
    assert statements == [5, 1]
