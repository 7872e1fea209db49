"""GET/PUT /auth/me/settings: values checked before anything is written."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

GOOD = {
    "reminders_enabled": False,
    "reminder_thresholds_days": [90, 14, 1],
    "timezone": "Pacific/Auckland",
    "due_soon_days": 45,
}


async def stored(db: AsyncEngine, sub: Any) -> dict[str, Any]:
    async with db.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT reminders_enabled, reminder_thresholds_days, timezone, due_soon_days"
                    " FROM owners WHERE id = :id"
                ),
                {"id": sub},
            )
        ).one()
    return dict(row._mapping)


async def test_defaults_then_replace(
    client: AsyncTestClient[Litestar], signed_up: Any, db: AsyncEngine
) -> None:
    owner = await signed_up()
    r = await client.get("/auth/me/settings", headers=owner.headers)
    assert r.status_code == 200
    assert r.json() == {
        "reminders_enabled": True,
        "reminder_thresholds_days": [60, 30, 7, 0],
        "timezone": "UTC",
        "due_soon_days": 30,
    }
    r = await client.put("/auth/me/settings", headers=owner.headers, json=GOOD)
    assert r.status_code == 200, r.text
    assert r.json() == GOOD
    assert await stored(db, owner.sub) == GOOD
    assert (await client.get("/auth/me/settings", headers=owner.headers)).json() == GOOD


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "invalid_timezone"),
        ({"timezone": "../../etc/passwd"}, "invalid_timezone"),
        ({"timezone": ""}, "invalid_timezone"),
        ({"reminder_thresholds_days": [1, 2, 3, 4, 5, 6, 7, 8, 9]}, "invalid_thresholds"),
        ({"reminder_thresholds_days": [1, 2, 3, 4, 5, 6, 7]}, "invalid_thresholds"),
        ({"reminder_thresholds_days": [30, -1]}, "invalid_thresholds"),
        ({"reminder_thresholds_days": [366]}, "invalid_thresholds"),
        ({"reminder_thresholds_days": [7, 7]}, "invalid_thresholds"),
        ({"reminder_thresholds_days": []}, "invalid_thresholds"),
        ({"due_soon_days": -1}, "invalid_due_soon_days"),
        ({"due_soon_days": 366}, "invalid_due_soon_days"),
    ],
)
async def test_bad_values_are_422_and_write_nothing(
    client: AsyncTestClient[Litestar],
    signed_up: Any,
    db: AsyncEngine,
    change: dict[str, Any],
    code: str,
) -> None:
    owner = await signed_up()
    before = await stored(db, owner.sub)
    # Every other field is a valid change, so a partial write would show.
    r = await client.put("/auth/me/settings", headers=owner.headers, json={**GOOD, **change})
    assert r.status_code == 422, r.text
    assert r.json()["error"] == code
    assert await stored(db, owner.sub) == before


@pytest.mark.parametrize(
    "body",
    [
        {},
        {**GOOD, "reminders_enabled": "false"},
        {**GOOD, "due_soon_days": "30"},
        {**GOOD, "reminder_thresholds_days": "7"},
        {**GOOD, "reminder_thresholds_days": [7.5]},
        {**GOOD, "timezone": None},
        {**GOOD, "owner_id": "00000000-0000-0000-0000-000000000000"},
        {k: v for k, v in GOOD.items() if k != "timezone"},
        ["not", "an", "object"],
    ],
)
async def test_wrong_types_are_400_and_write_nothing(
    client: AsyncTestClient[Litestar], signed_up: Any, db: AsyncEngine, body: Any
) -> None:
    owner = await signed_up()
    before = await stored(db, owner.sub)
    r = await client.put("/auth/me/settings", headers=owner.headers, json=body)
    assert r.status_code == 400, r.text
    assert set(r.json()) == {"error", "detail"}
    assert await stored(db, owner.sub) == before


async def test_settings_need_a_token(client: AsyncTestClient[Litestar]) -> None:
    assert (await client.get("/auth/me/settings")).status_code == 401
    assert (await client.put("/auth/me/settings", json=GOOD)).status_code == 401
